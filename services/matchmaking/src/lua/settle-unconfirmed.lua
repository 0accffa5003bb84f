-- Takes a meeting out of the outbox once Kafka acknowledged the snapshot the outbox wrote, but only
-- while that snapshot is still the meeting's (a newer change may wait for its own record), or when
-- the meeting is gone.
-- KEYS: outbox, meeting
-- ARGV: meetingId, the snapshot Kafka acknowledged
local current = redis.call('GET', KEYS[2])
if current ~= false and current ~= ARGV[2] then return 0 end
return redis.call('ZREM', KEYS[1], ARGV[1])
