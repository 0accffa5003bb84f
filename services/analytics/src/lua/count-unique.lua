-- Unique visitors of many buckets in one call: bucket i is the union of the next ARGV[i] keys
-- (one 1-minute HyperLogLog, or the 5 or 60 a coarser bucket is made of).
local counts = {}
local k = 1
for i = 1, #ARGV do
  local n = tonumber(ARGV[i])
  counts[i] = redis.call('PFCOUNT', unpack(KEYS, k, k + n - 1))
  k = k + n
end
return counts
