import type { Attendee, RegisterAttendeeBody } from '@expo/schemas';
import { newAttendee, newAttendeeId } from '../domain/new-attendee.ts';
import type { Registration, StoredBadge } from '../store/registration-store.ts';
import { allFields, type RegistrationDeps } from './deps.ts';
import { referenceChecker, type FieldProblem } from './reference-checks.ts';

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
 * reserves each email atomically, writes attendee and badge records to Kafka and only then to
 * Redis. Badge tokens are not signed here: badgeTokenOf signs one from the badge when it is needed. If Kafka does not acknowledge, the reservations are released and the error
 * is thrown: nothing is half-registered. Outcomes come back in input order.
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
  const holders = await deps.store.reserveEmails(candidates.map((c) => ({ email: c.registration.attendee.email, attendeeId: c.registration.attendee.attendeeId })));
  const reserved = candidates.filter((c, i) => {
    const holder = holders[i];
    if (holder) outcomes[c.index] = { status: 'duplicate', attendeeId: holder };
    return !holder;
  });
  await publish(deps, reserved);
  await deps.store.saveRegistrations(reserved.map((c) => c.registration));
  for (const c of reserved) outcomes[c.index] = { status: 'created', attendee: c.registration.attendee, badge: c.registration.badge };
  return outcomes;
}

async function publish(deps: RegistrationDeps, reserved: readonly Candidate[]): Promise<void> {
  if (reserved.length === 0) return;
  const eventId = deps.expo.expoId;
  try {
    await Promise.all([
      deps.producer.send(
        deps.topics.attendees,
        reserved.map(({ registration: { attendee } }) => ({
          type: 'attendee.registered' as const,
          eventId,
          occurredAt: attendee.registeredAt,
          data: { ...attendee, status: 'active' as const, changed: allFields(attendee) },
        })),
      ),
      deps.producer.send(
        deps.topics.badges,
        reserved.map(({ registration: { badge } }) => ({
          type: 'badge.issued' as const,
          eventId,
          occurredAt: badge.issuedAt,
          data: { ...badge, status: 'active' as const, changed: allFields(badge) },
        })),
      ),
    ]);
  } catch (error) {
    await deps.store.releaseEmails(reserved.map((c) => ({ email: c.registration.attendee.email, attendeeId: c.registration.attendee.attendeeId })));
    throw error;
  }
}
