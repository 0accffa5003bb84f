-- The decisions of one device's scans, in order, and their state changes, atomically
-- (DESIGN.md "Zones, gates and occupancy"). One call decides one scan (POST /v1/scans) or a
-- chunk of an offline batch: the per-call cost of Redis is paid once for the chunk.
-- KEYS: 1 zone meta, 2 gate->zone, 3 badge location, 4 badge last move time, 5 occupancy,
--       6 revoked badges, 7 people (attendee -> display info), 8 badge -> attendee,
--       8+i the decision hash of scan i
-- ARGV: 1 gateId, 2 deviceId, 3 'online'|'offline', 4 now ms, 5 decision TTL seconds, then per
--       scan i, from 6 + 7 * (i - 1): badgeId, attendeeId ('' unknown), direction, pre-decided
--       rejection ('' none), access list ('\n'-joined), device time ms, category ('' unknown)
-- Returns three entries per scan: 'replay', json, committed; 'new', json, ''; or 'no_gate' /
-- 'no_zone', '', '' when the device's gate leads nowhere. json describes the decision and the moves.
local FIELDS = 7
local gateId, deviceId = ARGV[1], ARGV[2]
local offline = ARGV[3] == 'offline'
local now, ttl = tonumber(ARGV[4]), tonumber(ARGV[5])
local count = (#ARGV - 5) / FIELDS

local zoneId = redis.call('HGET', KEYS[2], gateId)

local metaCache = {}
local function meta(z)
  if metaCache[z] then return metaCache[z] end
  local raw = redis.call('HGET', KEYS[1], z)
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

local zone = zoneId and meta(zoneId)

local function occ(z) return tonumber(redis.call('HGET', KEYS[5], z) or '0') end

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

-- Moves the badge from `from` to `to` along the tree, one gate at a time; each step changes
-- exactly one zone's count and becomes one entry of `moves` (one record).
local function walk(moves, from, to, origin)
  local up, down = chain(from), chain(to)
  local common = false
  for _, z in ipairs(up) do
    if contains(down, z) then common = z break end
  end
  for _, z in ipairs(up) do
    if z == common then break end
    local after = redis.call('HINCRBY', KEYS[5], z, -1)
    moves[#moves + 1] = {z, 'out', z, parentOf(z), after, origin}
  end
  local downs = {}
  for _, z in ipairs(down) do
    if z == common then break end
    downs[#downs + 1] = z
  end
  for i = #downs, 1, -1 do
    local z = downs[i]
    local after = redis.call('HINCRBY', KEYS[5], z, 1)
    moves[#moves + 1] = {z, 'in', parentOf(z), z, after, origin}
  end
end

local function allowed(access)
  for entry in string.gmatch(access, '[^\n]+') do
    if entry == zone.kind or entry == zoneId then return true end
  end
  return false
end

local function decide(decisionKey, a)
  local badgeId, attendeeId, direction = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local deviceTime = tonumber(ARGV[a + 5])

  local stored = redis.call('HGET', decisionKey, 'j')
  if stored then
    return 'replay', stored, redis.call('HGET', decisionKey, 'c') or '0'
  end
  if not zoneId then return 'no_gate', '', '' end
  if not zone then return 'no_zone', '', '' end

  local location = redis.call('HGET', KEYS[3], badgeId) or false
  local inside = location and contains(chain(location), zoneId)
  local reason = ARGV[a + 3] ~= '' and ARGV[a + 3] or false
  local conflict = false

  if not reason and redis.call('SISMEMBER', KEYS[6], badgeId) == 1 then reason = 'revoked' end
  if not reason and direction == 'in' and not allowed(ARGV[a + 4]) then reason = 'zone_not_allowed' end
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
    b = badgeId, a = attendeeId, cat = ARGV[a + 6], dev = deviceId, gate = gateId, z = zoneId,
    dir = direction, t = now, st = deviceTime,
    cap = zone.cap or false, p = redis.call('HGET', KEYS[7], attendeeId) or false,
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
    local lastMove = tonumber(redis.call('HGET', KEYS[4], badgeId) or '0')
    local moves = {}
    stale = offline and deviceTime < lastMove
    if location ~= expected then walk(moves, location, expected, 'inferred') end
    walk(moves, expected, target, 'device')
    result.o = occ(zoneId)
    if stale then
      walk(moves, target, location, 'inferred')
    else
      if target then redis.call('HSET', KEYS[3], badgeId, target) else redis.call('HDEL', KEYS[3], badgeId) end
      redis.call('HSET', KEYS[4], badgeId, deviceTime)
    end
    redis.call('HSET', KEYS[8], badgeId, attendeeId)
    result.d = 'accepted'
    result.r = false
    result.m = moves
    result.prev = location or ''
    result.prevt = lastMove
  end
  result.conflict = conflict
  result.stale = stale

  local json = cjson.encode(result)
  redis.call('HSET', decisionKey, 'j', json, 'c', '0')
  redis.call('EXPIRE', decisionKey, ttl)
  return 'new', json, ''
end

local replies = {}
for i = 1, count do
  local kind, json, committed = decide(KEYS[8 + i], 6 + FIELDS * (i - 1))
  replies[#replies + 1] = kind
  replies[#replies + 1] = json
  replies[#replies + 1] = committed
end
return replies
