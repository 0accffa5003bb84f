-- After a rebuild folded the log, for each registration still in the outbox, by what the fold saw
-- of it (its attendee's records, a tombstone included, and its badge's):
-- * attendee and badge on the log: written; it leaves the outbox;
-- * attendee on the log and no longer in the state (erased: a tombstone followed) or not active
--   (cancelled): it ended there, and writing it again would bring it back; it leaves too;
-- * attendee on the log, active, badge not: half on the log (badge.issued timed out); it stays for
--   the outbox to write its badge (the fold reserved its email);
-- * attendee not on the log: it may still land at any moment (kafkajs retries a write the producer
--   gave up on), so its email is reserved for it again (the rebuild cleared every reservation) and
--   it stays for the outbox to write. One whose email the log gives another attendee cannot be kept
--   without a duplicate: it leaves.
-- KEYS: 1 the outbox, then per registration: its outbox entry, its attendee key, its email key.
-- ARGV: per registration: its attendee id, '1' if its attendee is on the log, '1' if its badge is.
-- Answers { kept, folded, dropped }: dropped the ones whose email another attendee holds.
local kept, folded, dropped = 0, 0, 0
for i = 1, #ARGV / 3 do
  local entry, attendee, email = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local attendeeId, attendeeLogged, badgeLogged = ARGV[3 * i - 2], ARGV[3 * i - 1] == '1', ARGV[3 * i] == '1'
  local keep = false
  if attendeeLogged then
    local state = redis.call('GET', attendee)
    if badgeLogged or not state or cjson.decode(state).status ~= 'active' then
      folded = folded + 1
    else
      kept = kept + 1
      keep = true
    end
  else
    local holder = redis.call('GET', email)
    if not holder or holder == attendeeId then
      redis.call('SET', email, attendeeId)
      kept = kept + 1
      keep = true
    else
      dropped = dropped + 1
    end
  end
  if not keep then
    redis.call('DEL', entry)
    redis.call('ZREM', KEYS[1], attendeeId)
  end
end
return { kept, folded, dropped }
