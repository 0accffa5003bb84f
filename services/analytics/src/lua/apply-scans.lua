-- Applies a batch of scan records (accepted, rejected, annulled) of one partition atomically:
-- each record's figures, the log position it moves its key to and its dedupe mark, or nothing.
-- Exactly once rests on log positions kept with the figures: per partition, the offset of the last
-- record applied for each record key (`pos:<topic:partition>`, field = key). The consumer applies
-- one key's records in offset order but different keys of a partition concurrently, so a record at
-- or below its key's stored offset was applied (or dead-lettered) before and is skipped, whatever
-- the group's committed offsets say (a redelivery after a crash, a group reset to earliest, a second
-- group of the same expo). The envelope-id marks (kept DEDUPE_TTL_SECONDS) are the second guard:
-- they catch the same record written to the log twice (a producer's resend, at a new offset).
-- Counters, maxima and HyperLogLog additions of the batch are gathered first and written once per
-- key and field, with the positions and marks; only what depends on order (a badge's open visits,
-- first entries) runs record by record. Only 1-minute buckets are written: 5-minute and 1-hour
-- figures are exact rollups of them (sums, maxima, HyperLogLog unions) made when read.
-- ARGV: prefix, dedupe ttl (s), "topic:partition", JSON array of tuples built by scan-tuple.ts.
local P = ARGV[1]
local ttl = tonumber(ARGV[2])
local where = ARGV[3]
local events = cjson.decode(ARGV[4])

local incr, maxima, pf, sets, marks, dirty = {}, {}, {}, {}, {}, {}
local function add(key, field, by)
  local h = incr[key]
  if not h then h = {}; incr[key] = h end
  h[field] = (h[field] or 0) + by
end
local function keepMax(key, field, value, at)
  local h = maxima[key]
  if not h then h = {}; maxima[key] = h end
  local old = h[field]
  if not old or value > old[1] or (value == old[1] and at < old[2]) then h[field] = { value, at } end
end
local function push(t, key, member)
  local list = t[key]
  if not list then list = {}; t[key] = list end
  list[#list + 1] = member
end

local function bucketAdd(zone, day, e, field, by)
  add(P .. 'fb:' .. zone .. ':1m:' .. day, e[9] .. ':' .. field, by)
  dirty[zone .. '|' .. e[9]] = e[9]
end

local function firstEntry(e, day)
  local attendee = e[13]
  if attendee == '' then return end
  push(sets, P .. 'entered', attendee)
  if redis.call('SADD', P .. 'visitors:' .. day, attendee) == 0 then return end
  local mix = P .. 'mix:' .. day
  local attrs = redis.call('HGET', P .. 'att', attendee)
  if not attrs then
    add(mix, 'unknown-badge', 1)
    add(mix, 'category:' .. (e[17] ~= '' and e[17] or 'unknown'), 1)
    add(mix, 'country:' .. (e[18] ~= '' and e[18] or 'unknown'), 1)
    add(mix, 'sector:unknown', 1)
    return
  end
  local _, category, country, sectors = string.match(attrs, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
  add(mix, 'category:' .. category, 1)
  add(mix, 'country:' .. country, 1)
  for sector in string.gmatch(sectors, '[^,]+') do add(mix, 'sector:' .. sector, 1) end
end

local function entry(e, zone, day, sign, inBucket)
  add(P .. 'occ', zone, sign)
  if not inBucket then return end
  bucketAdd(zone, day, e, 'i', sign)
  local visit = e[12] .. '|' .. zone
  if sign < 0 then
    redis.call('HDEL', P .. 'open', visit)
    return
  end
  redis.call('HSET', P .. 'open', visit, e[4])
  if e[16] == 1 then return end
  push(pf, P .. 'hll:' .. zone .. ':1m:' .. e[9], e[12])
  push(pf, P .. 'hll:' .. zone .. ':d:' .. day, e[12])
  firstEntry(e, day)
end

local function exit(e, zone, day, sign, inBucket)
  add(P .. 'occ', zone, -sign)
  if not inBucket then return end
  bucketAdd(zone, day, e, 'o', sign)
  if sign < 0 then return end
  local visit = e[12] .. '|' .. zone
  local since = tonumber(redis.call('HGET', P .. 'open', visit) or '-1')
  if since >= 0 and e[4] >= since then
    add(P .. 'dwell:' .. zone .. ':' .. day, math.floor((e[4] - since) / 60000), 1)
    redis.call('HDEL', P .. 'open', visit)
  end
end

local function apply(e)
  local kind, day, zone = e[1], e[6], e[7]
  local dayKey = P .. 'day:' .. day
  local inBucket = e[15] ~= 2
  push(sets, P .. 'zones-seen', zone)
  push(sets, P .. 'days', day)
  if not inBucket then
    add(dayKey, 'too-late', 1)
    add(P .. 'too-late:' .. day, zone, 1)
  elseif e[15] == 1 and kind ~= 'r' then
    add(P .. 'fb:' .. zone .. ':1m:' .. day, e[9] .. ':l', 1)
    dirty[zone .. '|' .. e[9]] = e[9]
  end
  if e[14] ~= '' and kind ~= 'n' then
    add(P .. 'gate:' .. day, e[14] .. '|' .. e[9], 1)
    add(P .. 'gate-min:' .. day, e[9], 1)
  end
  if kind == 'r' then
    add(dayKey, 'rejected', 1)
    add(dayKey, 'rej:' .. e[19], 1)
    return
  end
  local sign = 1
  if kind == 'n' then
    sign = -1
    add(dayKey, 'annulled', 1)
  elseif e[20] == 'device' then
    add(dayKey, 'accepted', 1)
  end
  if e[8] ~= '' then exit(e, e[8], day, sign, inBucket) end
  if e[22] ~= '' then entry(e, e[22], day, sign, inBucket) end
  if inBucket then
    keepMax(P .. 'fb:' .. zone .. ':1m:' .. day, e[9] .. ':p', e[5], 0)
    keepMax(P .. 'peak:' .. day, zone, e[5], e[4])
  end
end

local positions, last, moved = P .. 'pos:' .. where, {}, {}
local function position(key)
  local p = last[key]
  if p == nil then
    p = tonumber(redis.call('HGET', positions, key) or '-1')
    last[key] = p
  end
  return p
end

local applied, maxOffset, marked = 0, -1, {}
for _, e in ipairs(events) do
  local offset, key = e[21], e[23]
  if offset > position(key) then
    last[key] = offset
    moved[key] = true
    if offset > maxOffset then maxOffset = offset end
    local seen = P .. 'seen:' .. e[3]
    if not marked[e[2]] and redis.call('SISMEMBER', seen, e[2]) == 0 then
      marked[e[2]] = true
      push(marks, seen, e[2])
      apply(e)
      applied = applied + 1
    end
  end
end

for key, fields in pairs(incr) do
  for field, by in pairs(fields) do
    if by ~= 0 then redis.call('HINCRBY', key, field, by) end
  end
end
for key, fields in pairs(maxima) do
  local isPeak = string.find(key, P .. 'peak:', 1, true) == 1
  for field, best in pairs(fields) do
    local old = tonumber(redis.call('HGET', key, field) or '-1')
    if isPeak then
      local oldAt = tonumber(redis.call('HGET', key, field .. '|at') or '0')
      if best[1] > old or (best[1] == old and best[2] < oldAt) then redis.call('HSET', key, field, best[1], field .. '|at', best[2]) end
    elseif best[1] > old then
      redis.call('HSET', key, field, best[1])
    end
  end
end
for key, members in pairs(pf) do redis.call('PFADD', key, unpack(members)) end
for key, members in pairs(sets) do redis.call('SADD', key, unpack(members)) end
for member, start in pairs(dirty) do redis.call('ZADD', P .. 'dirty', start, member) end
for seen, ids in pairs(marks) do
  redis.call('SADD', seen, unpack(ids))
  redis.call('EXPIRE', seen, ttl)
end
local reached = {}
for key in pairs(moved) do
  reached[#reached + 1] = key
  reached[#reached + 1] = string.format('%d', last[key])
end
if #reached > 0 then redis.call('HSET', positions, unpack(reached)) end
-- The partition's highest applied offset: how far the state reaches (a reading for operators; the
-- skip above needs the per-key positions, other keys below it may still be on their way).
local stored = tonumber(redis.call('HGET', P .. 'offsets', where) or '-1')
if maxOffset > stored then redis.call('HSET', P .. 'offsets', where, string.format('%d', maxOffset)) end
return applied
