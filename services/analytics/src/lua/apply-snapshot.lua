-- Replaces one entity's snapshot (compacted topics: attendees, badges, exhibitors, meetings,
-- zones) and moves its counters from the old snapshot's to the new one's, with the record's log
-- position, in one step; or does nothing. A record at or below the last offset applied for its key
-- in its partition (`pos:<topic:partition>`) was applied before and is skipped: a redelivery, or a
-- group reset to earliest, never brings an entity back to an older snapshot, not even for a while.
-- Counters are "field=n;field=n". Returns 1 when applied, 0 when skipped.
-- KEYS: 1 the partition's positions, 2 highest offsets, 3 state hash, 4 counter hash, 5 attributes
--       hash (absent = none).
-- ARGV: "topic:partition", offset, record key, entity id, new counters ('' = gone), attributes
--       value ('' = delete).
local positions, offsets, stateKey, counters, attributes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local where, offset, recordKey, id = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]

if offset <= tonumber(redis.call('HGET', positions, recordKey) or '-1') then return 0 end

local function move(state, sign)
  for field, n in string.gmatch(state, '([^=;]+)=(%-?%d+)') do
    redis.call('HINCRBY', counters, field, sign * tonumber(n))
  end
end

local old = redis.call('HGET', stateKey, id)
if old then move(old, -1) end
if ARGV[5] == '' then
  redis.call('HDEL', stateKey, id)
else
  move(ARGV[5], 1)
  redis.call('HSET', stateKey, id, ARGV[5])
end
if attributes then
  if ARGV[6] == '' then redis.call('HDEL', attributes, id) else redis.call('HSET', attributes, id, ARGV[6]) end
end
redis.call('HSET', positions, recordKey, ARGV[2])
-- The partition's highest applied offset: how far the state reaches (a reading for operators).
local stored = tonumber(redis.call('HGET', offsets, where) or '-1')
if offset > stored then redis.call('HSET', offsets, where, ARGV[2]) end
return 1
