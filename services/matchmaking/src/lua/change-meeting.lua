-- A meeting's state change, compare-and-set on its whole stored snapshot, so of two racing
-- changes (two instances, a sweep and an answer) exactly one applies. The times the new snapshot
-- holds are taken only if they overlap no other meeting's in the same hold set (a party's or a
-- table's); what the old snapshot held and the new one does not is freed.
-- KEYS: meeting, expiry, pair, active(buyer), active(exhibitor), then hold sets to take in, then
--       hold sets to release from
-- ARGV: expected JSON, new JSON, meetingId, ends ('1': leaves the open states; '-1': re-enters them,
--       when a change Kafka refused is taken back), take count, release count, expiry ms ('' none),
--       then one hold member (`<startMs>:<endMs>:<meetingId>`, store/holds.ts) per take key, then
--       one per release key

-- The meeting other than `self` whose hold in `key` overlaps the member's time [start, end), or nil.
-- A hold set never holds two overlapping times, so sorted by start it is sorted by end too: of the
-- holds that start before `end`, only the latest one that is not `self`'s can reach past `start`.
-- (The same function is in request-meeting.lua: scripts cannot share code.)
local function clash(key, member, self)
  local s, e = string.match(member, '^(%-?%d+):(%-?%d+):')
  for _, held in ipairs(redis.call('ZREVRANGEBYSCORE', key, '(' .. e, '-inf', 'LIMIT', 0, 2)) do
    local _, heldEnd, holder = string.match(held, '^(%-?%d+):(%-?%d+):(.+)$')
    if holder ~= self then
      if tonumber(heldEnd) > tonumber(s) then return holder end
      return nil
    end
  end
  return nil
end

local current = redis.call('GET', KEYS[1])
if not current then return {'missing'} end
if current ~= ARGV[1] then return {'stale'} end
local take = tonumber(ARGV[5])
local release = tonumber(ARGV[6])
for i = 1, take do
  local holder = clash(KEYS[5 + i], ARGV[7 + i], ARGV[3])
  if holder then return {'taken', KEYS[5 + i], holder} end
end
for i = 1, release do redis.call('ZREM', KEYS[5 + take + i], ARGV[7 + take + i]) end
for i = 1, take do
  local member = ARGV[7 + i]
  redis.call('ZADD', KEYS[5 + i], string.match(member, '^(%-?%d+):'), member)
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
if ARGV[4] == '1' then
  if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
  redis.call('DECR', KEYS[4])
  redis.call('DECR', KEYS[5])
end
if ARGV[4] == '-1' then
  redis.call('SET', KEYS[3], ARGV[3])
  redis.call('INCR', KEYS[4])
  redis.call('INCR', KEYS[5])
end
if ARGV[7] and ARGV[7] ~= '' then redis.call('ZADD', KEYS[2], ARGV[7], ARGV[3]) end
return {'ok'}
