-- KEYS[1]: the Idempotency-Key's record; ARGV[1]: the request body's hash; ARGV[2]: how long the
-- claim lasts (seconds) unless the request records its end, which sets the key's full TTL.
-- Claims the key for this request (nil) or answers the record already there (JSON), atomically,
-- so two instances receiving the same retry at once never both register.
local record = redis.call('GET', KEYS[1])
if record then
  return record
end
redis.call('SET', KEYS[1], cjson.encode({ state = 'pending', bodyHash = ARGV[1] }), 'EX', tonumber(ARGV[2]))
return false
