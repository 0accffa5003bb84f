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
-- KEYS (built by apply-scans-call.ts; the script names no key itself): 1 occupancy, 2 open visits,
-- 3 attendees' attributes, 4 attendees who ever entered, 5 zones seen, 6 days, 7 dirty buckets,
-- 8 highest offsets, 9 this partition's positions; then the batch's key groups, which each tuple's
-- refs point at by index: its day's figures, too late, gates, gate minutes, peaks, visitors and mix
-- (7 in a row), its zone and day's 1-minute bucket hash, dwell and day HyperLogLog (3 in a row), the
-- zone's HyperLogLog of its minute, its hour's dedupe marks. A record's zone left and zone entered
-- are its zone or '' (one step through one gate), so one zone group serves both.
-- ARGV (written by apply-scans-codec.ts): dedupe ttl (s), "topic:partition", JSON list of the scans,
-- each a list of the slots below, JSON list of their refs [day, zone and day, minute, hour].
-- A scan's slots, in the order apply-scans-codec.ts writes them ('' stands for none): kind ('a'
-- accepted, 'r' rejected, 'n' annulled), envelope id, event ms, occupancy after, local day, zone,
-- zone left, 1-minute bucket start, badge, attendee, gate, lateness (0 on time, 1 late, 2 too late),
-- unverified (0|1), category, country, reason, origin, offset, zone entered, record key (offset and
-- key: the log position the script skips at or below).
local KIND, ID, AT, AFTER, DAY, ZONE, ZONE_LEFT = 1, 2, 3, 4, 5, 6, 7
local MINUTE, BADGE, ATTENDEE, GATE, LATE, UNVERIFIED, CATEGORY = 8, 9, 10, 11, 12, 13, 14
local COUNTRY, REASON, ORIGIN, OFFSET, ZONE_ENTERED, RECORD_KEY = 15, 16, 17, 18, 19, 20
local OCCUPANCY, OPEN, ATTRIBUTES, ENTERED = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ZONES_SEEN, DAYS, DIRTY, OFFSETS, POSITIONS = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local ttl = tonumber(ARGV[1])
local where = ARGV[2]
local events = cjson.decode(ARGV[3])
local refs = cjson.decode(ARGV[4])

local dayGroups, zoneGroups = {}, {}
local function dayKeys(i)
  local g = dayGroups[i]
  if not g then
    g = { figures = KEYS[i], tooLate = KEYS[i + 1], gates = KEYS[i + 2], gateMinutes = KEYS[i + 3], peaks = KEYS[i + 4], visitors = KEYS[i + 5], mix = KEYS[i + 6] }
    dayGroups[i] = g
  end
  return g
end
local function zoneKeys(i)
  local g = zoneGroups[i]
  if not g then
    g = { bucket = KEYS[i], dwell = KEYS[i + 1], dayHll = KEYS[i + 2] }
    zoneGroups[i] = g
  end
  return g
end

local incr, maxima, peaks, pf, sets, marks, dirty = {}, {}, {}, {}, {}, {}, {}
local function add(key, field, by)
  local h = incr[key]
  if not h then h = {}; incr[key] = h end
  h[field] = (h[field] or 0) + by
end
local function keepMax(t, key, field, value, at)
  local h = t[key]
  if not h then h = {}; t[key] = h end
  local old = h[field]
  if not old or value > old[1] or (value == old[1] and at < old[2]) then h[field] = { value, at } end
end
local function push(t, key, member)
  local list = t[key]
  if not list then list = {}; t[key] = list end
  list[#list + 1] = member
end

local function bucketAdd(zone, z, e, field, by)
  add(z.bucket, e[MINUTE] .. ':' .. field, by)
  dirty[zone .. '|' .. e[MINUTE]] = e[MINUTE]
end

local function firstEntry(e, d)
  local attendee = e[ATTENDEE]
  if attendee == '' then return end
  push(sets, ENTERED, attendee)
  if redis.call('SADD', d.visitors, attendee) == 0 then return end
  local mix = d.mix
  local attrs = redis.call('HGET', ATTRIBUTES, attendee)
  if not attrs then
    add(mix, 'unknown-badge', 1)
    add(mix, 'category:' .. (e[CATEGORY] ~= '' and e[CATEGORY] or 'unknown'), 1)
    add(mix, 'country:' .. (e[COUNTRY] ~= '' and e[COUNTRY] or 'unknown'), 1)
    add(mix, 'sector:unknown', 1)
    return
  end
  local _, category, country, sectors = string.match(attrs, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
  add(mix, 'category:' .. category, 1)
  add(mix, 'country:' .. country, 1)
  for sector in string.gmatch(sectors, '[^,]+') do add(mix, 'sector:' .. sector, 1) end
end

local function entry(e, zone, d, z, minuteHll, sign, inBucket)
  add(OCCUPANCY, zone, sign)
  if not inBucket then return end
  bucketAdd(zone, z, e, 'i', sign)
  local visit = e[BADGE] .. '|' .. zone
  if sign < 0 then
    redis.call('HDEL', OPEN, visit)
    return
  end
  redis.call('HSET', OPEN, visit, e[AT])
  if e[UNVERIFIED] == 1 then return end
  push(pf, minuteHll, e[BADGE])
  push(pf, z.dayHll, e[BADGE])
  firstEntry(e, d)
end

local function exit(e, zone, z, sign, inBucket)
  add(OCCUPANCY, zone, -sign)
  if not inBucket then return end
  bucketAdd(zone, z, e, 'o', sign)
  if sign < 0 then return end
  local visit = e[BADGE] .. '|' .. zone
  local since = tonumber(redis.call('HGET', OPEN, visit) or '-1')
  if since >= 0 and e[AT] >= since then
    add(z.dwell, math.floor((e[AT] - since) / 60000), 1)
    redis.call('HDEL', OPEN, visit)
  end
end

local function apply(e, r)
  local kind, day, zone = e[KIND], e[DAY], e[ZONE]
  local d, z = dayKeys(r[1]), zoneKeys(r[2])
  local inBucket = e[LATE] ~= 2
  push(sets, ZONES_SEEN, zone)
  push(sets, DAYS, day)
  if not inBucket then
    add(d.figures, 'too-late', 1)
    add(d.tooLate, zone, 1)
  elseif e[LATE] == 1 and kind ~= 'r' then
    add(z.bucket, e[MINUTE] .. ':l', 1)
    dirty[zone .. '|' .. e[MINUTE]] = e[MINUTE]
  end
  if e[GATE] ~= '' and kind ~= 'n' then
    add(d.gates, e[GATE] .. '|' .. e[MINUTE], 1)
    add(d.gateMinutes, e[MINUTE], 1)
  end
  if kind == 'r' then
    add(d.figures, 'rejected', 1)
    add(d.figures, 'rej:' .. e[REASON], 1)
    return
  end
  local sign = 1
  if kind == 'n' then
    sign = -1
    add(d.figures, 'annulled', 1)
  elseif e[ORIGIN] == 'device' then
    add(d.figures, 'accepted', 1)
  end
  if e[ZONE_LEFT] ~= '' then exit(e, e[ZONE_LEFT], z, sign, inBucket) end
  if e[ZONE_ENTERED] ~= '' then entry(e, e[ZONE_ENTERED], d, z, KEYS[r[3]], sign, inBucket) end
  if inBucket then
    keepMax(maxima, z.bucket, e[MINUTE] .. ':p', e[AFTER], 0)
    keepMax(peaks, d.peaks, zone, e[AFTER], e[AT])
  end
end

local last, moved = {}, {}
local function position(key)
  local p = last[key]
  if p == nil then
    p = tonumber(redis.call('HGET', POSITIONS, key) or '-1')
    last[key] = p
  end
  return p
end

local applied, maxOffset, marked = 0, -1, {}
for i, e in ipairs(events) do
  local offset, key = e[OFFSET], e[RECORD_KEY]
  if offset > position(key) then
    last[key] = offset
    moved[key] = true
    if offset > maxOffset then maxOffset = offset end
    local r = refs[i]
    local seen = KEYS[r[4]]
    if not marked[e[ID]] and redis.call('SISMEMBER', seen, e[ID]) == 0 then
      marked[e[ID]] = true
      push(marks, seen, e[ID])
      apply(e, r)
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
  for field, best in pairs(fields) do
    local old = tonumber(redis.call('HGET', key, field) or '-1')
    if best[1] > old then redis.call('HSET', key, field, best[1]) end
  end
end
for key, fields in pairs(peaks) do
  for field, best in pairs(fields) do
    local old = tonumber(redis.call('HGET', key, field) or '-1')
    local oldAt = tonumber(redis.call('HGET', key, field .. '|at') or '0')
    if best[1] > old or (best[1] == old and best[2] < oldAt) then redis.call('HSET', key, field, best[1], field .. '|at', best[2]) end
  end
end
for key, members in pairs(pf) do redis.call('PFADD', key, unpack(members)) end
for key, members in pairs(sets) do redis.call('SADD', key, unpack(members)) end
for member, start in pairs(dirty) do redis.call('ZADD', DIRTY, start, member) end
for seen, ids in pairs(marks) do
  redis.call('SADD', seen, unpack(ids))
  redis.call('EXPIRE', seen, ttl)
end
local reached = {}
for key in pairs(moved) do
  reached[#reached + 1] = key
  reached[#reached + 1] = string.format('%d', last[key])
end
if #reached > 0 then redis.call('HSET', POSITIONS, unpack(reached)) end
-- The partition's highest applied offset: how far the state reaches (a reading for operators; the
-- skip above needs the per-key positions, other keys below it may still be on their way).
local stored = tonumber(redis.call('HGET', OFFSETS, where) or '-1')
if maxOffset > stored then redis.call('HSET', OFFSETS, where, string.format('%d', maxOffset)) end
return applied
