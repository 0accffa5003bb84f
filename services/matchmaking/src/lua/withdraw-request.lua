-- Takes back a new meeting request whose record Kafka refused, as if it had never been made: the
-- meeting, its index entries, the pair's lock, the quota places and the slot holds go, but only
-- while the meeting is still the snapshot the request wrote (nobody has acted on it since).
-- KEYS: meeting, sent(requester), active(buyer), active(exhibitor), of(buyer), of(exhibitor),
--       expiry, pair, session-meetings, then the slot keys it holds
-- ARGV: the snapshot the request wrote, meetingId, counted against the sender's quota ('1' / '0')
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'stale' end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[8]) == ARGV[2] then redis.call('DEL', KEYS[8]) end
if ARGV[3] == '1' then redis.call('DECR', KEYS[2]) end
redis.call('DECR', KEYS[3])
redis.call('DECR', KEYS[4])
redis.call('SREM', KEYS[5], ARGV[2])
redis.call('SREM', KEYS[6], ARGV[2])
redis.call('ZREM', KEYS[7], ARGV[2])
redis.call('SREM', KEYS[9], ARGV[2])
for i = 10, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[2] then redis.call('DEL', KEYS[i]) end
end
return 'ok'
