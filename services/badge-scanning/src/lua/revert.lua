-- Takes back state changes whose records Kafka did not acknowledge (promise 7: nothing
-- half-applied), but only while the badge is still where the change left it: a later scan of the
-- same badge has built on it, and then reconcile reports the difference instead.
-- KEYS: 1 decision hash ('' field ops skipped when absent), 2 badge location, 3 last move time, 4 occupancy
-- ARGV: 1 badgeId, 2 location the change left ('' outside), 3 location to restore, 4 last move
--       time to restore ('' to leave it), 5 'del' to forget the decision | 'unannul' | '',
--       then pairs of zoneId, delta to add
local badgeId = ARGV[1]
local current = redis.call('HGET', KEYS[2], badgeId) or ''
if current ~= ARGV[2] then return 0 end
for i = 6, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[4], ARGV[i], tonumber(ARGV[i + 1]))
end
if ARGV[3] == '' then redis.call('HDEL', KEYS[2], badgeId) else redis.call('HSET', KEYS[2], badgeId, ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], badgeId, ARGV[4]) end
if ARGV[5] == 'del' then redis.call('DEL', KEYS[1]) end
if ARGV[5] == 'unannul' then redis.call('HDEL', KEYS[1], 'a') end
return 1
