-- A zone's footfall rows in one call: the 1-minute figures of the day hashes in KEYS within
-- [first, to), rolled up to buckets of `size` ms (sums of in, out and late, maximum peak), and
-- each bucket's unique visitors (PFCOUNT of its minutes' HyperLogLogs counts their union).
-- Returns a flat list, oldest bucket first: start, in, out, peak, late, unique, start, ...
-- ARGV: first (ms), to (ms), size (ms), the 1-minute HyperLogLog key of the zone without its start.
local first, to, size, hllPrefix = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local rows, starts = {}, {}
for _, key in ipairs(KEYS) do
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do
    local minute, kind = string.match(flat[i], '^(%d+):(%a)$')
    minute = tonumber(minute)
    if minute and minute >= first and minute < to then
      local start = minute - minute % size
      local row = rows[start]
      if not row then
        row = { 0, 0, 0, 0 }
        rows[start] = row
        starts[#starts + 1] = start
      end
      local value = tonumber(flat[i + 1])
      if kind == 'i' then row[1] = row[1] + value
      elseif kind == 'o' then row[2] = row[2] + value
      elseif kind == 'p' then row[3] = math.max(row[3], value)
      elseif kind == 'l' then row[4] = row[4] + value end
    end
  end
end
table.sort(starts)
local out = {}
for _, start in ipairs(starts) do
  local hlls = {}
  for minute = start, start + size - 60000, 60000 do hlls[#hlls + 1] = hllPrefix .. string.format('%d', minute) end
  local row = rows[start]
  for _, v in ipairs({ start, row[1], row[2], row[3], row[4], redis.call('PFCOUNT', unpack(hlls)) }) do out[#out + 1] = v end
end
return out
