-- The outbox is about to write these registrations' records again: each is marked claimed (its
-- fate is unknown from now on, whatever its own request hears, so it is never released) and
-- answered. One whose entry is gone (confirmed or released meanwhile), or that is state already,
-- leaves the outbox instead.
-- KEYS: 1 the outbox, then per attendee id: its outbox entry, its attendee key.
-- ARGV: the attendee ids, in the order of their keys.
-- Answers the claimed registrations (JSON), in that order.
local claimed = {}
for i = 1, #ARGV do
  local entry, attendee = KEYS[2 * i], KEYS[2 * i + 1]
  local registration = redis.call('HGET', entry, 'registration')
  if registration and redis.call('EXISTS', attendee) == 0 then
    redis.call('HSET', entry, 'claimed', '1')
    claimed[#claimed + 1] = registration
  else
    redis.call('DEL', entry)
    redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return claimed
