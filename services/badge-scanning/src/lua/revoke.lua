-- A revocation, once: the revoked set and the sequence devices sync from change together.
-- KEYS: 1 revoked set, 2 sequence, 3 revocation log. ARGV: 1 badgeId, 2 entry JSON
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], seq, ARGV[2])
return seq
