-- A meeting's state change, compare-and-set on its whole stored snapshot, so of two racing
-- changes (two instances, a sweep and an answer) exactly one applies.
-- KEYS: meeting, expiry, pair, active(buyer), active(exhibitor), then slot/table keys to take, then keys to release
-- ARGV: expected JSON, new JSON, meetingId, ends ('1': leaves the open states; '-1': re-enters them,
--       when a change Kafka refused is taken back), take count, release count, expiry ms ('' none)
local current = redis.call('GET', KEYS[1])
if not current then return {'missing'} end
if current ~= ARGV[1] then return {'stale'} end
local take = tonumber(ARGV[5])
for i = 6, 5 + take do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= ARGV[3] then return {'taken', KEYS[i], holder} end
end
for i = 6, 5 + take do redis.call('SET', KEYS[i], ARGV[3]) end
for i = 6 + take, 5 + take + tonumber(ARGV[6]) do
  if redis.call('GET', KEYS[i]) == ARGV[3] then redis.call('DEL', KEYS[i]) end
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
