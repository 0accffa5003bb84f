-- Reserves each email for its attendee and, for each one reserved now, enters the registration in
-- the outbox, in one step: no reservation exists whose registration could be lost with its request
-- (a crash, or a produce timeout whose record lands later). It leaves the outbox when Kafka has
-- acknowledged its records (confirm-registrations) or certainly refused them (release-registrations).
-- Scored by Redis's clock, so every instance judges the outbox's grace by one clock. A script, so
-- the state guard refuses it while the state is lost: an emptied Redis would accept every duplicate.
-- KEYS: 1 the outbox, then per registration: its email key, its outbox entry.
-- ARGV: per registration: its attendee id, the registration (JSON).
-- Answers, per registration, '' when reserved now or the attendee id that already holds the email.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local holders = {}
for i = 1, (#KEYS - 1) / 2 do
  local attendeeId = ARGV[2 * i - 1]
  local holder = redis.call('SET', KEYS[2 * i], attendeeId, 'NX', 'GET')
  if holder then
    holders[i] = holder
  else
    holders[i] = ''
    redis.call('HSET', KEYS[2 * i + 1], 'registration', ARGV[2 * i])
    redis.call('ZADD', KEYS[1], now, attendeeId)
  end
end
return holders
