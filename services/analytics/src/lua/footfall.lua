-- A zone's footfall rows in one call: the 1-minute figures of the day hashes in KEYS within
-- [first, to), rolled up to buckets of `size` ms (sums of in, out and late, maximum peak).
-- Returns a flat list, oldest bucket first: start, in, out, peak, late, start, ... (the store
-- counts each bucket's unique visitors next, from the HyperLogLogs of the minutes it spans).
-- ARGV: first (ms), to (ms), size (ms).
local first, to, size = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
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
  local row = rows[start]
  for _, v in ipairs({ start, row[1], row[2], row[3], row[4] }) do out[#out + 1] = v end
end
return out
