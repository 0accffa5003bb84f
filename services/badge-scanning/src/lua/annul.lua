-- Undoes an accepted device scan's own move (the turnstile did not turn), once, by the device that
-- made it, within the window, and only while the badge is still where that scan put it.
-- KEYS: 1 decision hash, 2 badge location, 3 occupancy
-- ARGV: 1 deviceId, 2 now ms, 3 window ms
-- Returns {status, json[, occupancyAfter]}
local json = redis.call('HGET', KEYS[1], 'j')
if not json then return {'not_found'} end
local scan = cjson.decode(json)
if scan.dev ~= ARGV[1] then return {'other_device'} end
if scan.d ~= 'accepted' then return {'rejected', json} end
if redis.call('HGET', KEYS[1], 'a') then return {'already', json, redis.call('HGET', KEYS[1], 'a')} end
if tonumber(ARGV[2]) - scan.t > tonumber(ARGV[3]) then return {'expired', json} end
local own
for _, m in ipairs(scan.m) do
  if m[6] == 'device' then own = m end
end
local location = redis.call('HGET', KEYS[2], scan.b) or ''
if scan.stale or location ~= own[4] then return {'moved', json} end
local after = redis.call('HINCRBY', KEYS[3], own[1], own[2] == 'in' and -1 or 1)
if own[3] == '' then redis.call('HDEL', KEYS[2], scan.b) else redis.call('HSET', KEYS[2], scan.b, own[3]) end
redis.call('HSET', KEYS[1], 'a', after)
return {'annulled', json, after}
