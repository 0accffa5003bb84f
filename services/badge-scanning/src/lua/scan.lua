-- The decisions of one device's scans, in order, and their state changes, atomically
-- (docs/zones-and-occupancy.md). One call decides one scan (POST /v1/scans) or a
-- chunk of an offline batch: the per-call cost of Redis is paid once for the chunk.
-- KEYS: 1 zone meta, 2 gate->zone, 3 badge location, 4 badge last move time, 5 occupancy,
--       6 revoked badges, 7 people (attendee -> display info), 8 badge -> attendee,
--       9 unconfirmed decisions (the outbox), 10 badges with an unconfirmed move,
--       10+i the decision hash of scan i
-- ARGV: 1 gateId, 2 deviceId, 3 'online'|'offline', 4 earliest and 5 latest device time (ms)
--       decided afresh (the service's clock bounds the device's), 6 call id (the chunks of one
--       request share it), 7 position of this chunk's first scan in its request, 8 decision TTL
--       seconds, then per scan i, from 9 + 9 * (i - 1): scanId, badgeId, attendeeId ('' unknown),
--       direction, pre-decided rejection ('' none), access list ('\n'-joined), device time ms,
--       category ('' unknown), device's scannedAt as sent
-- Returns three entries per scan: 'replay', json, committed; 'new', json, ''; 'busy', '', '' when
-- the badge's previous move (of another call) is not acknowledged yet; 'early' / 'late', '', ''
-- when a scan not decided before has a device time outside the bounds; or 'no_gate' /
-- 'no_zone', '', '' when the device's gate leads nowhere. json describes the decision and the moves.
-- store/decision-codec.ts writes this ARGV and reads the answer and json (naming json's fields).
-- Every new decision enters the outbox until Kafka acknowledges its records (commit.lua), scored
-- now * 1024 + its position in the request: the outbox writes them again in the order decided.
-- "now" is Redis's clock, one for every instance: decision times are compared across instances
-- (the annulment window, the outbox's grace), never one instance's clock with another's.
local FIELDS = 9
local gateId, deviceId = ARGV[1], ARGV[2]
local offline = ARGV[3] == 'offline'
local earliest, latest = tonumber(ARGV[4]), tonumber(ARGV[5])
local call = ARGV[6] .. '|'
local first = tonumber(ARGV[7])
local ttl = tonumber(ARGV[8])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local count = (#ARGV - 8) / FIELDS

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

local function decide(decisionKey, a, position)
  local scanId = ARGV[a]
  a = a + 1
  local badgeId, attendeeId, direction = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  local deviceTime = tonumber(ARGV[a + 5])

  local stored = redis.call('HGET', decisionKey, 'j')
  if stored then
    local committed = redis.call('HGET', decisionKey, 'c') or '0'
    if committed == '1' or redis.call('ZSCORE', KEYS[9], scanId) then return 'replay', stored, committed end
    -- Neither acknowledged nor waiting in the outbox: a decision of a state rebuilt since (the
    -- rebuild folded the log, which never had it). Its change is not in the state: decide afresh.
    redis.call('DEL', decisionKey)
  end
  if not zoneId then return 'no_gate', '', '' end
  if not zone then return 'no_zone', '', '' end
  -- A device clock far off, or a scan older than the decision memory (it may have been decided
  -- and forgotten): refused, never decided afresh with a new record.
  if deviceTime < earliest then return 'early', '', '' end
  if deviceTime > latest then return 'late', '', '' end
  -- One badge's records stay in their order on the log: its next move waits until the previous
  -- one's records are acknowledged (or written again by the outbox), unless both are of this call.
  local holder = redis.call('HGET', KEYS[10], badgeId)
  if holder and string.sub(holder, 1, #call) ~= call then return 'busy', '', '' end

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
  -- An entry also enters every parent zone the badge is not in yet (inferred moves): each of
  -- them must have room too. (An exit's inferred entries are where the badge was: not refused.)
  if not reason and direction == 'in' then
    local held = location and chain(location) or {}
    for _, z in ipairs(chain(zone.parent)) do
      if contains(held, z) then break end
      local m = meta(z)
      if m and m.cap and occ(z) >= m.cap then
        reason = 'capacity_full'
        break
      end
    end
  end

  -- Offline scans are facts: what a gate would have refused online is recorded as a conflict and
  -- counted, except a token that names no badge of this expo, which cannot be counted at all.
  if offline and reason and reason ~= 'invalid_token' and reason ~= 'wrong_event' then
    conflict = reason
    reason = false
  end

  local stale = false
  local result = {
    b = badgeId, a = attendeeId, cat = ARGV[a + 6], dev = deviceId, gate = gateId, z = zoneId, k = zone.kind,
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
    redis.call('HSET', KEYS[10], badgeId, call .. scanId)
    result.d = 'accepted'
    result.r = false
    result.m = moves
    result.prev = location or ''
    result.prevt = lastMove
  end
  result.conflict = conflict
  result.stale = stale

  local json = cjson.encode(result)
  redis.call('HSET', decisionKey, 'j', json, 'c', '0', 's', ARGV[a + 7], 'o', offline and '1' or '0')
  if result.d == 'accepted' then redis.call('HSET', decisionKey, 'pb', badgeId) end
  redis.call('EXPIRE', decisionKey, ttl)
  redis.call('ZADD', KEYS[9], now * 1024 + position, scanId)
  return 'new', json, ''
end

local replies = {}
for i = 1, count do
  local kind, json, committed = decide(KEYS[10 + i], 9 + FIELDS * (i - 1), first + i - 1)
  replies[#replies + 1] = kind
  replies[#replies + 1] = json
  replies[#replies + 1] = committed
end
return replies
