-- Kafka acknowledged these registrations' records: each still in the outbox leaves it and becomes
-- state (the attendee, its badge, its email reservation), each part only where the state has none:
-- a rebuild may have folded the attendee of a registration half on the log, or since changed it. One
-- no longer in the outbox is skipped: another writer confirmed it (a retry, another instance's
-- outbox loop) and it may have been cancelled or erased since, which a late acknowledgement must
-- not undo. The reservation is set only if free: normally it is this attendee's already; a rebuild
-- that ran meanwhile may have cleared it.
-- KEYS: 1 the outbox, then per registration: attendee key, badge key, email key, outbox entry.
-- ARGV: per registration: attendee id, attendee (JSON), badge (JSON).
-- Answers, per registration, 1 when it left the outbox now (confirmed by this call), else 0.
local confirmed = {}
for i = 1, (#KEYS - 1) / 4 do
  local attendee, badge, email, entry = KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i], KEYS[4 * i + 1]
  local attendeeId = ARGV[3 * i - 2]
  confirmed[i] = 0
  if redis.call('EXISTS', entry) == 1 then
    redis.call('SET', attendee, ARGV[3 * i - 1], 'NX')
    redis.call('SET', badge, ARGV[3 * i], 'NX')
    redis.call('SET', email, attendeeId, 'NX')
    redis.call('DEL', entry)
    redis.call('ZREM', KEYS[1], attendeeId)
    confirmed[i] = 1
  end
end
return confirmed
