import type { RegistrationDeps } from './deps.ts';
import { publishAgain, UnconfirmedRegistrationError } from './publish-registrations.ts';
import type { RegisterOutcome } from './register-attendees.ts';

async function confirmed(deps: RegistrationDeps, attendeeId: string): Promise<RegisterOutcome | null> {
  const attendee = await deps.store.attendee(attendeeId);
  const badge = attendee ? await deps.store.badge(attendee.badgeId) : null;
  return attendee && badge ? { status: 'created', attendee, badge } : null;
}

/**
 * The registration a request left unconfirmed (its records' fate unknown), for a retry with the
 * same Idempotency-Key: the same attendee once its records are acknowledged, written again now if
 * the outbox still holds them (UnconfirmedRegistrationError while Kafka does not acknowledge),
 * which also finishes one half on the log (its attendee folded by a rebuild, its badge not). Null
 * when Redis no longer knows it (lost with Redis, and not on the log it was rebuilt from), so the
 * retry registers afresh. Never null while its attendee is active in the state: registering afresh
 * would answer 409 with the client's own attendee, and the key would keep that answer.
 */
export async function resumeRegistration(deps: RegistrationDeps, attendeeId: string): Promise<RegisterOutcome | null> {
  const done = await confirmed(deps, attendeeId);
  if (done) return done;
  const held = await deps.store.outbox.held(attendeeId);
  if (held) {
    await publishAgain(deps, [held]);
    return { status: 'created', attendee: held.attendee, badge: held.badge };
  }
  // Gone from the outbox since the look above: confirmed meanwhile, or not known at all.
  const since = await confirmed(deps, attendeeId);
  if (since || (await deps.store.attendee(attendeeId))?.status !== 'active') return since;
  // Its active attendee without its badge and nothing left to write it: answered as still unknown
  // (503, the key stays unconfirmed) rather than as someone else's registration. A cancelled one
  // freed its email: the retry registers afresh, as for an erased one.
  throw new UnconfirmedRegistrationError([attendeeId], new Error(`attendee ${attendeeId} is on the log without its badge`));
}
