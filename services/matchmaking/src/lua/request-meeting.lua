-- A new meeting request, atomically: no "no" from either side, no second open request for the
-- pair, quotas, and (when slots are proposed) the first slot whose time overlaps no meeting of
-- either party is held for both.
-- KEYS: meeting, preferences, sent(requester), active(buyer), active(exhibitor), of(buyer),
--       of(exhibitor), expiry, pair, session-meetings, participant-holds(buyer), participant-holds(exhibitor)
-- ARGV: meeting JSON, buyerId, exhibitorId, maxSent (-1: organiser, no quota), maxActive,
--       expiresAtMs, meetingId, slot count, then per slot its JSON and its hold member
--       (`<startMs>:<endMs>:<meetingId>`, store/holds.ts)

-- The meeting other than `self` whose hold in `key` overlaps the member's time [start, end), or nil.
-- A hold set never holds two overlapping times, so sorted by start it is sorted by end too: of the
-- holds that start before `end`, only the latest one that is not `self`'s can reach past `start`.
-- (The same function is in change-meeting.lua: scripts cannot share code.)
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
  local member = ARGV[10 + 2 * i]
  if not clash(KEYS[11], member, ARGV[7]) and not clash(KEYS[12], member, ARGV[7]) then
    chosen = i
    break
  end
end
if n > 0 and chosen < 0 then return {'double_booked'} end
local meeting = cjson.decode(ARGV[1])
if chosen >= 0 then
  local member = ARGV[10 + 2 * chosen]
  local start = string.match(member, '^(%-?%d+):')
  redis.call('ZADD', KEYS[11], start, member)
  redis.call('ZADD', KEYS[12], start, member)
  meeting['slot'] = cjson.decode(ARGV[9 + 2 * chosen])
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
