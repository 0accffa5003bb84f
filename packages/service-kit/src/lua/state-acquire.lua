-- Takes the rebuild lease when it is free and removes the state marker in the same step, so every
-- instance (on its next check) and every guarded script sees the state as not whole from now on.
-- KEYS: lease, marker. ARGV: fencing token, lease in ms. Answers 1 when taken, 0 when held by another.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
