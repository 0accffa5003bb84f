-- A participant's meeting ids, read through the state guard: a consumer that acts on what it reads
-- (an attendee's cancellation cancels their meetings) must not find "none" in a lost state.
-- KEYS: 1 the participant's meeting set.
return redis.call('SMEMBERS', KEYS[1])
