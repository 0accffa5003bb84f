-- Replaces one entity's snapshot (compacted topics: attendees, badges, exhibitors, meetings,
-- zones) and moves its counters from the old snapshot's to the new one's, with the record's log
-- position, in one step; or does nothing. A record at or below the last offset applied for its key
-- in its partition (`pos:<topic:partition>`) was applied before and is skipped: a redelivery, or a
-- group reset to earliest, never brings an entity back to an older snapshot, not even for a while.
-- Counters are "field=n;field=n". Returns 1 when applied, 0 when skipped.
-- ARGV: prefix, "topic:partition", offset, record key, state hash, entity id, new counters ('' = gone),
--       counter hash, attributes hash ('' = none), attributes value ('' = delete).
local P = ARGV[1]
local positions = P .. 'pos:' .. ARGV[2]
local offset, recordKey = tonumber(ARGV[3]), ARGV[4]
local stateKey = P .. ARGV[5]
local id = ARGV[6]
local counters = P .. ARGV[8]

if offset <= tonumber(redis.call('HGET', positions, recordKey) or '-1') then return 0 end

local function move(state, sign)
  for field, n in string.gmatch(state, '([^=;]+)=(%-?%d+)') do
    redis.call('HINCRBY', counters, field, sign * tonumber(n))
  end
end

local old = redis.call('HGET', stateKey, id)
if old then move(old, -1) end
if ARGV[7] == '' then
  redis.call('HDEL', stateKey, id)
else
  move(ARGV[7], 1)
  redis.call('HSET', stateKey, id, ARGV[7])
end
if ARGV[9] ~= '' then
  if ARGV[10] == '' then redis.call('HDEL', P .. ARGV[9], id) else redis.call('HSET', P .. ARGV[9], id, ARGV[10]) end
end
redis.call('HSET', positions, recordKey, ARGV[3])
-- The partition's highest applied offset: how far the state reaches (a reading for operators).
local stored = tonumber(redis.call('HGET', P .. 'offsets', ARGV[2]) or '-1')
if offset > stored then redis.call('HSET', P .. 'offsets', ARGV[2], ARGV[3]) end
return 1
