-- Reserves each email for its attendee (SET NX GET per key): answers, per key, '' when reserved
-- now or the attendee id that already holds it. A script rather than a pipeline so the state guard
-- refuses it while the state is lost: an emptied Redis would otherwise accept every duplicate.
-- KEYS: email keys; ARGV: the attendee ids, in the same order.
local holders = {}
for i, key in ipairs(KEYS) do
  holders[i] = redis.call('SET', key, ARGV[i], 'NX', 'GET') or ''
end
return holders
