-- Replaces one entity's snapshot (compacted topics: attendees, badges, exhibitors, meetings,
-- zones) and moves its counters from the old snapshot's to the new one's, with the offset, in one
-- step. Counters are "field=n;field=n": replaying a record changes nothing (old equals new).
-- ARGV: prefix, "topic:partition", offset, state hash, entity id, new counters ('' = gone),
--       counter hash, attributes hash ('' = none), attributes value ('' = delete).
local P = ARGV[1]
local stateKey = P .. ARGV[4]
local id = ARGV[5]
local counters = P .. ARGV[7]

local function move(state, sign)
  for field, n in string.gmatch(state, '([^=;]+)=(%-?%d+)') do
    redis.call('HINCRBY', counters, field, sign * tonumber(n))
  end
end

local old = redis.call('HGET', stateKey, id)
if old then move(old, -1) end
if ARGV[6] == '' then
  redis.call('HDEL', stateKey, id)
else
  move(ARGV[6], 1)
  redis.call('HSET', stateKey, id, ARGV[6])
end
if ARGV[8] ~= '' then
  if ARGV[9] == '' then redis.call('HDEL', P .. ARGV[8], id) else redis.call('HSET', P .. ARGV[8], id, ARGV[9]) end
end
local offset = tonumber(ARGV[3])
local stored = tonumber(redis.call('HGET', P .. 'offsets', ARGV[2]) or '-1')
if offset > stored then redis.call('HSET', P .. 'offsets', ARGV[2], offset) end
return 1
