-- Decisions a rebuild restores from the scan log (usecases/rebuild.ts), many per call: so replays
-- after a rebuild repeat the first answer. KEYS: the decision hashes. ARGV[1]: their TTL, then
-- per key a kind and a value: 'j' a decision's JSON (acknowledged: its records are on the log),
-- 'a' the occupancy after an annulment of a decision restored before it.
local ttl = ARGV[1]
for i, key in ipairs(KEYS) do
  local kind, value = ARGV[2 * i], ARGV[2 * i + 1]
  if kind == 'j' then
    redis.call('HSET', key, 'j', value, 'c', '1')
  else
    redis.call('HSET', key, 'a', value)
  end
  redis.call('EXPIRE', key, ttl)
end
return #KEYS
