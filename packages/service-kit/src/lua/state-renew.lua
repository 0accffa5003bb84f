-- Extends the rebuild lease while its holder still owns it. KEYS: lease. ARGV: token, lease in ms.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
