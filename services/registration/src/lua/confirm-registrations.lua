-- Kafka acknowledged these registrations' records: each leaves the outbox and becomes state (the
-- attendee, its badge, its email reservation), unless it already is: the request and the outbox
-- may both write and confirm one registration, and the first confirmed may have been cancelled
-- since, which the second must not write over. The reservation is set only if free: normally it
-- is this attendee's already; a rebuild that ran meanwhile may have cleared it.
-- KEYS: 1 the outbox, then per registration: attendee key, badge key, email key, outbox entry.
-- ARGV: per registration: attendee id, attendee (JSON), badge (JSON).
-- Answers how many became state now.
local written = 0
for i = 1, (#KEYS - 1) / 4 do
  local attendee, badge, email, entry = KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i], KEYS[4 * i + 1]
  local attendeeId = ARGV[3 * i - 2]
  if redis.call('EXISTS', attendee) == 0 then
    redis.call('SET', attendee, ARGV[3 * i - 1])
    redis.call('SET', badge, ARGV[3 * i])
    redis.call('SET', email, attendeeId, 'NX')
    written = written + 1
  end
  redis.call('DEL', entry)
  redis.call('ZREM', KEYS[1], attendeeId)
end
return written
