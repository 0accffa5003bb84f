-- Frees the lease if the caller holds it (a rebuild that failed, or an instance that closes).
-- KEYS: lease. ARGV: token.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
