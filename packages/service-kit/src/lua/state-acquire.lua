-- Takes the rebuild lease when it is free and the state is still what the caller judged lost or
-- stale (the marker's epoch, '' for none: another instance may have made it whole meanwhile), and
-- removes the marker in the same step, so every instance (on its next probe) and every guarded
-- script sees the state as not whole from now on.
-- KEYS: lease, marker. ARGV: fencing token, lease in ms, epoch judged.
-- Answers 1 when taken, 0 when another holds the lease, -1 when the state changed since judged.
if (redis.call('HGET', KEYS[2], 'epoch') or '') ~= ARGV[3] then return -1 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
