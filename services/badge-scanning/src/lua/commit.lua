-- Kafka acknowledged these records: replays may now answer them, and they leave the outbox.
-- KEYS: 1 unconfirmed decisions (the outbox), 2 badges with an unconfirmed move, then one decision
--       hash per outbox member. A decision that has expired meanwhile is not brought back.
-- ARGV: the outbox members, in the order of their keys: a scanId, or `annul:<scanId>`.
for i = 3, #KEYS do
  local key, member = KEYS[i], ARGV[i - 2]
  local annul = string.sub(member, 1, 6) == 'annul:'
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, annul and 'ac' or 'c', '1') end
  redis.call('ZREM', KEYS[1], member)
  local badge = not annul and redis.call('HGET', key, 'pb')
  if badge then
    local holder = redis.call('HGET', KEYS[2], badge)
    if holder and string.sub(holder, -#member - 1) == '|' .. member then redis.call('HDEL', KEYS[2], badge) end
  end
end
return #KEYS - 2
