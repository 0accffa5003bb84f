-- Undoes an accepted device scan's own move (the turnstile did not turn), once, by the device that
-- made it, within the window, and only while the badge is still where that scan put it. The
-- annulment enters the outbox until Kafka acknowledges its record.
-- KEYS: 1 decision hash, 2 badge location, 3 occupancy, 4 unconfirmed decisions (the outbox)
-- ARGV: 1 deviceId, 2 (unused), 3 window ms, 4 scanId. The window is measured on Redis's clock,
-- the one the decision's time was taken from, whichever instance decided it.
-- Returns {status, json[, occupancyAfter, annulledAt ms, '1' once its record is acknowledged]}
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local json = redis.call('HGET', KEYS[1], 'j')
if not json then return {'not_found'} end
local scan = cjson.decode(json)
if scan.dev ~= ARGV[1] then return {'other_device'} end
if scan.d ~= 'accepted' then return {'rejected', json} end
local done = redis.call('HMGET', KEYS[1], 'a', 'at', 'ac')
if done[1] then return {'already', json, done[1], done[2] or '0', done[3] or '1'} end
if now - scan.t > tonumber(ARGV[3]) then return {'expired', json} end
local own
for _, m in ipairs(scan.m) do
  if m[6] == 'device' then own = m end
end
local location = redis.call('HGET', KEYS[2], scan.b) or ''
if scan.stale or location ~= own[4] then return {'moved', json} end
local after = redis.call('HINCRBY', KEYS[3], own[1], own[2] == 'in' and -1 or 1)
if own[3] == '' then redis.call('HDEL', KEYS[2], scan.b) else redis.call('HSET', KEYS[2], scan.b, own[3]) end
redis.call('HSET', KEYS[1], 'a', after, 'at', now, 'ac', '0')
redis.call('ZADD', KEYS[4], now * 1024, 'annul:' .. ARGV[4])
return {'annulled', json, after, tostring(now), '0'}
