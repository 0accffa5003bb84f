-- Puts meetings whose latest record Kafka did not acknowledge (a send timed out, its outcome is
-- unknown) in the outbox, which writes their snapshot again until Kafka acknowledges it.
-- KEYS: outbox
-- ARGV: now (ms), then the meetingIds
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i]) end
return #ARGV - 1
