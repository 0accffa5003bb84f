import type { RegistrationDeps } from './deps.ts';
import { publishAgain } from './publish-registrations.ts';
import type { RegisterOutcome } from './register-attendees.ts';

async function confirmed(deps: RegistrationDeps, attendeeId: string): Promise<RegisterOutcome | null> {
  const attendee = await deps.store.attendee(attendeeId);
  const badge = attendee ? await deps.store.badge(attendee.badgeId) : null;
  return attendee && badge ? { status: 'created', attendee, badge } : null;
}

/**
 * The registration a request left unconfirmed (its records' fate unknown), for a retry with the
 * same Idempotency-Key: the same attendee once its records are acknowledged, written again now if
 * the outbox still holds them (UnconfirmedRegistrationError while Kafka does not acknowledge).
 * Null when Redis no longer knows it (lost with Redis, and not on the log it was rebuilt from),
 * so the retry registers afresh.
 */
export async function resumeRegistration(deps: RegistrationDeps, attendeeId: string): Promise<RegisterOutcome | null> {
  const done = await confirmed(deps, attendeeId);
  if (done) return done;
  const held = await deps.store.outbox.held(attendeeId);
  // Gone from the outbox since the look above: confirmed meanwhile, or not known at all.
  if (!held) return confirmed(deps, attendeeId);
  await publishAgain(deps, [held]);
  return { status: 'created', attendee: held.attendee, badge: held.badge };
}
