-- Takes up to ARGV[2] buckets marked dirty whose start is at most ARGV[1] (closed), removing the
-- marks atomically so that two instances never publish the same change twice. A bucket changed
-- again later (a late scan) is marked again and republished.
local key = KEYS[1]
local members = redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #members > 0 then redis.call('ZREM', key, unpack(members)) end
return members
