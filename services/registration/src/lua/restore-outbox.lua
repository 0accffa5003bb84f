-- After a rebuild folded the log, for each registration still in the outbox: on the log already
-- (its attendee was folded), it leaves the outbox; not yet, it may still land at any moment (kafkajs
-- retries a write the producer gave up on), so its email is reserved for it again (the rebuild
-- cleared every reservation) and it stays for the outbox to write. One whose email the log gives
-- another attendee cannot be kept without a duplicate: it leaves too.
-- KEYS: 1 the outbox, then per registration: its outbox entry, its attendee key, its email key.
-- ARGV: per registration: its attendee id.
-- Answers { kept, folded, dropped }.
local kept, folded, dropped = 0, 0, 0
for i = 1, #ARGV do
  local entry, attendee, email, attendeeId = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1], ARGV[i]
  local holder = redis.call('GET', email)
  local keep = false
  if redis.call('EXISTS', attendee) == 1 then
    folded = folded + 1
  elseif not holder or holder == attendeeId then
    redis.call('SET', email, attendeeId)
    kept = kept + 1
    keep = true
  else
    dropped = dropped + 1
  end
  if not keep then
    redis.call('DEL', entry)
    redis.call('ZREM', KEYS[1], attendeeId)
  end
end
return { kept, folded, dropped }
