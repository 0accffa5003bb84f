-- Takes back a new meeting request whose record Kafka refused, as if it had never been made: the
-- meeting, its index entries, the pair's lock, the quota places and the time it holds go, but only
-- while the meeting is still the snapshot the request wrote (nobody has acted on it since).
-- KEYS: those of request-meeting.lua — meeting, preferences (unused here), sent(requester),
--       active(buyer), active(exhibitor), of(buyer), of(exhibitor), expiry, pair, session-meetings —
--       then the hold sets its time is in
-- ARGV: the snapshot the request wrote, meetingId, counted against the sender's quota ('1' / '0'),
--       then the meeting's hold member per hold set (store/holds.ts)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'stale' end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[9]) == ARGV[2] then redis.call('DEL', KEYS[9]) end
if ARGV[3] == '1' then redis.call('DECR', KEYS[3]) end
redis.call('DECR', KEYS[4])
redis.call('DECR', KEYS[5])
redis.call('SREM', KEYS[6], ARGV[2])
redis.call('SREM', KEYS[7], ARGV[2])
redis.call('ZREM', KEYS[8], ARGV[2])
redis.call('SREM', KEYS[10], ARGV[2])
for i = 11, #KEYS do redis.call('ZREM', KEYS[i], ARGV[i - 7]) end
return 'ok'
