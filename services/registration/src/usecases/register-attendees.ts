import type { Attendee, RegisterAttendeeBody } from '@expo/schemas';
import { newAttendee, newAttendeeId } from '../domain/new-attendee.ts';
import type { Registration, StoredBadge } from '../store/registration-store.ts';
import type { RegistrationDeps } from './deps.ts';
import { confirmRegistrations, publishRegistrations, UnconfirmedRegistrationError } from './publish-registrations.ts';
import type { FieldProblem } from '../domain/field-problem.ts';
import { referenceChecker } from './reference-checks.ts';

export type RegisterOutcome =
  | { readonly status: 'created'; readonly attendee: Attendee; readonly badge: StoredBadge }
  | { readonly status: 'duplicate'; readonly attendeeId: string }
  | { readonly status: 'invalid'; readonly problems: readonly FieldProblem[] };

interface Candidate {
  readonly index: number;
  readonly registration: Registration;
}

/**
 * Registers a batch (one attendee from the API, thousands from an import): checks references,
 * reserves each email and enters the registration in the outbox atomically, writes attendee and
 * badge records to Kafka and then makes them state in Redis. Badge tokens are not signed here:
 * badgeTokenOf signs one from the badge when it is needed. If Kafka certainly wrote nothing, the
 * reservations are released and the error is thrown: nothing is half-registered. If it may have
 * written them (a timeout), they are kept and the outbox writes them again until acknowledged:
 * UnconfirmedRegistrationError. Outcomes come back in input order.
 */
export async function registerAttendees(deps: RegistrationDeps, bodies: readonly RegisterAttendeeBody[]): Promise<RegisterOutcome[]> {
  const outcomes: RegisterOutcome[] = new Array<RegisterOutcome>(bodies.length);
  const check = referenceChecker(deps.store);
  const key = deps.signingKey();
  const now = (deps.now ?? (() => new Date()))();
  const candidates: Candidate[] = [];
  await Promise.all(
    bodies.map(async (body, index) => {
      const problems = await check(body);
      const made = problems.length === 0 ? newAttendee(body, { attendeeId: newAttendeeId(), kid: key.kid }, deps.expo, now) : null;
      if (!made) {
        outcomes[index] = { status: 'invalid', problems: problems.length > 0 ? problems : [{ field: 'days', message: 'no day falls within the expo' }] };
        return;
      }
      candidates.push({ index, registration: { attendee: made.attendee, badge: { ...made.badge, status: 'active' } } });
    }),
  );
  candidates.sort((a, b) => a.index - b.index);
  const holders = await deps.store.outbox.reserve(candidates.map((c) => c.registration));
  const reserved = candidates.filter((c, i) => {
    const holder = holders[i];
    if (holder) outcomes[c.index] = { status: 'duplicate', attendeeId: holder };
    return !holder;
  });
  await publish(
    deps,
    reserved.map((c) => c.registration),
  );
  for (const c of reserved) outcomes[c.index] = { status: 'created', attendee: c.registration.attendee, badge: c.registration.badge };
  return outcomes;
}

async function publish(deps: RegistrationDeps, registrations: readonly Registration[]): Promise<void> {
  if (registrations.length === 0) return;
  const outcome = await publishRegistrations(deps, registrations);
  if (outcome.kind === 'acknowledged') return confirmRegistrations(deps, registrations);
  const kept = outcome.kind === 'refused' ? await release(deps, registrations) : registrations;
  if (kept.length === 0) throw outcome.error;
  throw new UnconfirmedRegistrationError(
    kept.map((r) => r.attendee.attendeeId),
    outcome.error,
  );
}

/** Releases what Kafka certainly did not write; answers what stays (the outbox wrote it again meanwhile). */
async function release(deps: RegistrationDeps, registrations: readonly Registration[]): Promise<readonly Registration[]> {
  try {
    const released = await deps.store.outbox.release(registrations);
    return registrations.filter((_r, i) => !released[i]);
  } catch (error) {
    // Still reserved and in the outbox, which will write them: a retry must find them.
    throw new UnconfirmedRegistrationError(
      registrations.map((r) => r.attendee.attendeeId),
      error,
    );
  }
}
