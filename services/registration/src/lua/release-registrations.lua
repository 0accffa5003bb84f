-- Kafka certainly did not write these registrations' records: each leaves the outbox and frees its
-- email, unless the outbox has written it again meanwhile (claimed: that write's fate is unknown,
-- so it must stay) or it is state already (another writer's records were acknowledged).
-- KEYS: 1 the outbox, then per registration: email key, outbox entry, attendee key.
-- ARGV: per registration: attendee id.
-- Answers, per registration, 1 when released, 0 when kept.
local released = {}
for i = 1, #ARGV do
  local email, entry, attendee, attendeeId = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1], ARGV[i]
  if redis.call('HEXISTS', entry, 'claimed') == 1 or redis.call('EXISTS', attendee) == 1 then
    released[i] = 0
  else
    if redis.call('GET', email) == attendeeId then redis.call('DEL', email) end
    redis.call('DEL', entry)
    redis.call('ZREM', KEYS[1], attendeeId)
    released[i] = 1
  end
end
return released
