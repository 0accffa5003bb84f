-- An attendee is cancelled or erased: its registration leaves the outbox, if still there (half on the
-- log after a rebuild), so the outbox never writes attendee.registered after the record that ended it.
-- KEYS: 1 the outbox, 2 its outbox entry. ARGV: 1 the attendee id.
-- Answers 1 when it was in the outbox.
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[2])
