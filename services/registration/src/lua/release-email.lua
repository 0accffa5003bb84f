-- Releases an email reservation only if it still points at the attendee that took it, so a
-- failed registration never frees an address another registration has since reserved.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
