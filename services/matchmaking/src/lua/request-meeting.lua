-- A new meeting request, atomically: no "no" from either side, no second open request for the
-- pair, quotas, and (when slots are proposed) the first slot free for both is held for both.
-- KEYS: meeting, preferences, sent(requester), active(buyer), active(exhibitor), of(buyer),
--       of(exhibitor), expiry, pair, session-meetings, then busy(buyer, slot i), busy(exhibitor, slot i) per slot
-- ARGV: meeting JSON, buyerId, exhibitorId, maxSent (-1: organiser, no quota), maxActive,
--       expiresAtMs, meetingId, slot count, slot JSON per slot
local prefs = KEYS[2]
if redis.call('HGET', prefs, ARGV[2] .. '|' .. ARGV[3]) == 'no' or redis.call('HGET', prefs, ARGV[3] .. '|' .. ARGV[2]) == 'no' then
  return {'refused'}
end
local open = redis.call('GET', KEYS[9])
if open then return {'duplicate', open} end
local maxSent = tonumber(ARGV[4])
if maxSent >= 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= maxSent then return {'quota_sent'} end
local maxActive = tonumber(ARGV[5])
if tonumber(redis.call('GET', KEYS[4]) or '0') >= maxActive then return {'quota_meetings', ARGV[2]} end
if tonumber(redis.call('GET', KEYS[5]) or '0') >= maxActive then return {'quota_meetings', ARGV[3]} end
local n = tonumber(ARGV[8])
local chosen = -1
for i = 0, n - 1 do
  if redis.call('EXISTS', KEYS[11 + 2 * i]) == 0 and redis.call('EXISTS', KEYS[12 + 2 * i]) == 0 then
    chosen = i
    break
  end
end
if n > 0 and chosen < 0 then return {'double_booked'} end
local meeting = cjson.decode(ARGV[1])
if chosen >= 0 then
  redis.call('SET', KEYS[11 + 2 * chosen], ARGV[7])
  redis.call('SET', KEYS[12 + 2 * chosen], ARGV[7])
  meeting['slot'] = cjson.decode(ARGV[9 + chosen])
end
local json = cjson.encode(meeting)
redis.call('SET', KEYS[1], json)
redis.call('SET', KEYS[9], ARGV[7])
if maxSent >= 0 then redis.call('INCR', KEYS[3]) end
redis.call('INCR', KEYS[4])
redis.call('INCR', KEYS[5])
redis.call('SADD', KEYS[6], ARGV[7])
redis.call('SADD', KEYS[7], ARGV[7])
redis.call('ZADD', KEYS[8], ARGV[6], ARGV[7])
if meeting['sessionId'] then redis.call('SADD', KEYS[10], ARGV[7]) end
return {'ok', json}
