-- Takes back state changes whose records Kafka certainly did not write (promise 7 in docs/promises.md: nothing
-- half-applied), but only while the badge is still where the change left it: a later scan of the
-- same badge has built on it, and then reconcile reports the difference instead.
-- KEYS: 1 decision hash ('' field ops skipped when absent), 2 badge location, 3 last move time,
--       4 occupancy, 5 unconfirmed decisions (the outbox), 6 badges with an unconfirmed move
-- ARGV: 1 badgeId, 2 location the change left ('' outside), 3 location to restore, 4 last move
--       time to restore ('' to leave it), 5 'del' to forget the decision | 'unannul' | '',
--       6 the outbox member to drop ('' none), then pairs of zoneId, delta to add
local badgeId, member = ARGV[1], ARGV[6]
local current = redis.call('HGET', KEYS[2], badgeId) or ''
if current ~= ARGV[2] then return 0 end
for i = 7, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[4], ARGV[i], tonumber(ARGV[i + 1]))
end
if ARGV[3] == '' then redis.call('HDEL', KEYS[2], badgeId) else redis.call('HSET', KEYS[2], badgeId, ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], badgeId, ARGV[4]) end
if ARGV[5] == 'del' then redis.call('DEL', KEYS[1]) end
if ARGV[5] == 'unannul' then redis.call('HDEL', KEYS[1], 'a', 'at', 'ac') end
if member ~= '' then
  redis.call('ZREM', KEYS[5], member)
  local holder = redis.call('HGET', KEYS[6], badgeId)
  if holder and string.sub(holder, -#member - 1) == '|' .. member then redis.call('HDEL', KEYS[6], badgeId) end
end
return 1
