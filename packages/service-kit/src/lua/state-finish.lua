-- Declares the state whole, only if the caller still holds the lease (a rebuilder that lost it,
-- paused past its expiry, must not mark a state another instance is building), and frees the lease.
-- KEYS: lease, marker. ARGV: token, epoch, Redis run id, evicted keys so far, time (ISO).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'epoch', ARGV[2], 'runid', ARGV[3], 'evicted', ARGV[4], 'at', ARGV[5])
redis.call('DEL', KEYS[1])
return 1
