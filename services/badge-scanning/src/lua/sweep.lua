-- One chunk of the closing sweep: every badge still inside is walked out of the venue, zone by
-- zone, each step a record (origin `sweep`), so each day starts at zero. The chunk is kept in
-- the unconfirmed sweep chunks until Kafka acknowledges its records (a sweep killed midway is
-- resumed from there, see sweep.ts).
-- KEYS: 1 zone meta, 2 badge location, 3 occupancy, 4 last move time, 5 badge -> attendee,
--       6 unconfirmed sweep chunks
-- ARGV: 1 HSCAN cursor, 2 chunk size, 3 sweep time ms, 4 chunk name (`<day>|<sweep time ms>-<n>`,
--       unique per chunk: the ids of its records follow from it)
-- Returns {nextCursor, json of [{b, a, prev, m: [[zoneId, 'out', from, to, after], ...]}]}
local function parentOf(z)
  local raw = redis.call('HGET', KEYS[1], z)
  if not raw then return '' end
  return string.match(raw, '^([^|]*)|') or ''
end

local page = redis.call('HSCAN', KEYS[2], ARGV[1], 'COUNT', tonumber(ARGV[2]))
local entries = page[2]
local swept = {}
for i = 1, #entries, 2 do
  local badgeId, z = entries[i], entries[i + 1]
  local steps = {}
  local guard = 0
  while z ~= '' and guard < 32 do
    local parent = parentOf(z)
    local after = redis.call('HINCRBY', KEYS[3], z, -1)
    steps[#steps + 1] = {z, 'out', z, parent, after}
    z = parent
    guard = guard + 1
  end
  redis.call('HDEL', KEYS[2], badgeId)
  redis.call('HSET', KEYS[4], badgeId, ARGV[3])
  swept[#swept + 1] = {b = badgeId, a = redis.call('HGET', KEYS[5], badgeId) or badgeId, prev = entries[i + 1], m = steps}
end
if #swept == 0 then return {page[1], '[]'} end
local json = cjson.encode(swept)
redis.call('HSET', KEYS[6], ARGV[4], ARGV[3] .. '|' .. json)
return {page[1], json}
