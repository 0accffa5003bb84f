-- Kafka acknowledged these scans' records: replays may now answer them.
-- KEYS: the decision hashes. A decision that has expired meanwhile is not brought back.
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'c', '1') end
end
return #KEYS
