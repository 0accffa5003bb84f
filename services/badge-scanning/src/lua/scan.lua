-- One scan's decision and its state change, atomically (DESIGN.md "Zones, gates and occupancy").
-- KEYS: 1 decision hash of the scan, 2 zone meta, 3 gate->zone, 4 badge location, 5 badge last
--       move time, 6 occupancy, 7 revoked badges, 8 people (attendee -> display info),
--       9 badge -> attendee
-- ARGV: 1 scanId, 2 badgeId, 3 attendeeId ('' unknown), 4 direction, 5 gateId, 6 deviceId,
--       7 pre-decided rejection ('' none), 8 access list ('\n'-joined), 9 'online'|'offline',
--       10 device time ms, 11 now ms, 12 decision TTL seconds, 13 category ('' unknown)
-- Returns {'replay', json, committed} or {'new', json}; json describes the decision and the moves.
local scanId, badgeId, attendeeId, direction = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local offline = ARGV[9] == 'offline'
local deviceTime = tonumber(ARGV[10])

local stored = redis.call('HGET', KEYS[1], 'j')
if stored then
  return {'replay', stored, redis.call('HGET', KEYS[1], 'c') or '0'}
end

local zoneId = redis.call('HGET', KEYS[3], ARGV[5])
if not zoneId then return {'no_gate'} end

local metaCache = {}
local function meta(z)
  if metaCache[z] then return metaCache[z] end
  local raw = redis.call('HGET', KEYS[2], z)
  if not raw then return nil end
  local parent, cap, apb, kind = string.match(raw, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)$')
  local m = { parent = parent ~= '' and parent or false, cap = tonumber(cap), apb = apb, kind = kind }
  metaCache[z] = m
  return m
end

local function parentOf(z)
  local m = meta(z)
  return m and m.parent or ''
end

local zone = meta(zoneId)
if not zone then return {'no_zone'} end

local function occ(z) return tonumber(redis.call('HGET', KEYS[6], z) or '0') end

-- The chain from a zone up to the root; false (outside the venue) has none.
local function chain(z)
  local list = {}
  local seen = 0
  while z and seen < 32 do
    list[#list + 1] = z
    local m = meta(z)
    z = m and m.parent or false
    seen = seen + 1
  end
  return list
end

local function contains(list, z)
  for _, v in ipairs(list) do if v == z then return true end end
  return false
end

local moves = {}
-- Moves the badge from `from` to `to` along the tree, one gate at a time; each step changes
-- exactly one zone's count and becomes one record.
local function walk(from, to, origin)
  local up, down = chain(from), chain(to)
  local common = false
  for _, z in ipairs(up) do
    if contains(down, z) then common = z break end
  end
  for _, z in ipairs(up) do
    if z == common then break end
    local after = redis.call('HINCRBY', KEYS[6], z, -1)
    moves[#moves + 1] = {z, 'out', z, parentOf(z), after, origin}
  end
  local downs = {}
  for _, z in ipairs(down) do
    if z == common then break end
    downs[#downs + 1] = z
  end
  for i = #downs, 1, -1 do
    local z = downs[i]
    local after = redis.call('HINCRBY', KEYS[6], z, 1)
    moves[#moves + 1] = {z, 'in', parentOf(z), z, after, origin}
  end
end

local function allowed()
  for entry in string.gmatch(ARGV[8], '[^\n]+') do
    if entry == zone.kind or entry == zoneId then return true end
  end
  return false
end

local location = redis.call('HGET', KEYS[4], badgeId) or false
local inside = location and contains(chain(location), zoneId)
local reason = ARGV[7] ~= '' and ARGV[7] or false
local conflict = false

if not reason and redis.call('SISMEMBER', KEYS[7], badgeId) == 1 then reason = 'revoked' end
if not reason and direction == 'in' and not allowed() then reason = 'zone_not_allowed' end
if not reason and zone.apb == 'strict' then
  if direction == 'in' and inside then reason = 'already_inside' end
  if direction == 'out' and not inside then reason = 'not_inside' end
end
if not reason and direction == 'in' and zone.cap then
  local after = occ(zoneId) - (inside and 1 or 0)
  if after >= zone.cap then reason = 'capacity_full' end
end

-- Offline scans are facts: what a gate would have refused online is recorded as a conflict and
-- counted, except a token that names no badge of this expo, which cannot be counted at all.
if offline and reason and reason ~= 'invalid_token' and reason ~= 'wrong_event' then
  conflict = reason
  reason = false
end

local stale = false
local result = {
  b = badgeId, a = attendeeId, cat = ARGV[13], dev = ARGV[6], gate = ARGV[5], z = zoneId,
  dir = direction, t = tonumber(ARGV[11]), st = deviceTime,
  cap = zone.cap or false, p = redis.call('HGET', KEYS[8], attendeeId) or false,
}

if reason then
  result.d = 'rejected'
  result.r = reason
  result.o = occ(zoneId)
  result.m = {}
else
  -- (not `a and b or c`: the parent of the root is false, which that idiom would skip)
  local target, expected = zone.parent, zoneId
  if direction == 'in' then target, expected = zoneId, zone.parent end
  local lastMove = tonumber(redis.call('HGET', KEYS[5], badgeId) or '0')
  stale = offline and deviceTime < lastMove
  if location ~= expected then walk(location, expected, 'inferred') end
  walk(expected, target, 'device')
  result.o = occ(zoneId)
  if stale then
    walk(target, location, 'inferred')
  else
    if target then redis.call('HSET', KEYS[4], badgeId, target) else redis.call('HDEL', KEYS[4], badgeId) end
    redis.call('HSET', KEYS[5], badgeId, deviceTime)
  end
  redis.call('HSET', KEYS[9], badgeId, attendeeId)
  result.d = 'accepted'
  result.r = false
  result.m = moves
  result.prev = location or ''
  result.prevt = lastMove
end
result.conflict = conflict
result.stale = stale

local json = cjson.encode(result)
redis.call('HSET', KEYS[1], 'j', json, 'c', '0')
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[12]))
return {'new', json}
