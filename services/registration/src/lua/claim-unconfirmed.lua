-- The outbox is about to write these registrations' records again: each is marked claimed (its
-- fate is unknown from now on, whatever its own request hears, so it is never released) and
-- answered. One whose entry is gone (confirmed or released meanwhile), or that is state already,
-- attendee and badge, leaves the outbox instead. An attendee without its badge is a registration
-- half on the log (a rebuild folded its acknowledged attendee.registered, its badge.issued timed
-- out): it is claimed, so its badge is written.
-- KEYS: 1 the outbox, then per attendee id: its outbox entry, its attendee key, its badge key.
-- ARGV: the attendee ids, in the order of their keys.
-- Answers the claimed registrations (JSON), in that order.
local claimed = {}
for i = 1, #ARGV do
  local entry, attendee, badge = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local registration = redis.call('HGET', entry, 'registration')
  if registration and redis.call('EXISTS', attendee, badge) < 2 then
    redis.call('HSET', entry, 'claimed', '1')
    claimed[#claimed + 1] = registration
  else
    redis.call('DEL', entry)
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return claimed
