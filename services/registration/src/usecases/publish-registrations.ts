import { derivedRecordId, isDefiniteRefusal } from '@expo/bus';
import { countRegistrations } from '../metrics.ts';
import type { Registration } from '../store/registration-store.ts';
import { allFields, type RegistrationDeps } from './deps.ts';

/**
 * Kafka may or may not have written these registrations' records (a produce timeout, a lost
 * connection), or they could not be confirmed in Redis: they stay reserved and in the outbox, which
 * writes them again with the same ids until Kafka acknowledges them. Their request answers 503; a
 * retry with its Idempotency-Key ends with the same attendee.
 */
export class UnconfirmedRegistrationError extends Error {
  override readonly name = 'UnconfirmedRegistrationError';
  constructor(
    /** The attendees kept, in input order. */
    readonly attendeeIds: readonly string[],
    cause: unknown,
  ) {
    super(`Kafka has not acknowledged the records of ${attendeeIds.length} registration(s); they are kept and written again`, { cause });
  }
}

/** What became of one write of registrations' records. */
export type PublishOutcome = { readonly kind: 'acknowledged' } | { readonly kind: 'refused' | 'unknown'; readonly error: unknown };

/**
 * A record's id follows from what it records, so the records written again for a registration are
 * the same records: consumers dedupe on the envelope id.
 */
function recordId(expoId: string, type: string, entityId: string): string {
  return derivedRecordId(expoId, type, entityId);
}

/**
 * Writes the `attendee.registered` and `badge.issued` records of registrations. Refused only when
 * every write was certainly refused: one acknowledged and one refused leaves a registration half
 * on the log, which only writing it again completes.
 */
export async function publishRegistrations(deps: RegistrationDeps, registrations: readonly Registration[]): Promise<PublishOutcome> {
  if (registrations.length === 0) return { kind: 'acknowledged' };
  const eventId = deps.expo.expoId;
  const sends = await Promise.allSettled([
    deps.producer.send(
      deps.topics.attendees,
      registrations.map(({ attendee }) => ({
        id: recordId(eventId, 'attendee.registered', attendee.attendeeId),
        type: 'attendee.registered' as const,
        eventId,
        occurredAt: attendee.registeredAt,
        data: { ...attendee, status: 'active' as const, changed: allFields(attendee) },
      })),
    ),
    deps.producer.send(
      deps.topics.badges,
      registrations.map(({ badge }) => ({
        id: recordId(eventId, 'badge.issued', badge.badgeId),
        type: 'badge.issued' as const,
        eventId,
        occurredAt: badge.issuedAt,
        data: { ...badge, status: 'active' as const, changed: allFields(badge) },
      })),
    ),
  ]);
  const errors = sends.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (errors.length === 0) return { kind: 'acknowledged' };
  const refused = errors.length === sends.length && errors.every(isDefiniteRefusal);
  return { kind: refused ? 'refused' : 'unknown', error: errors[0] };
}

/**
 * Kafka acknowledged the registrations' records: they become state. If Redis cannot record that,
 * they stay in the outbox (UnconfirmedRegistrationError), which confirms them on its next write.
 */
export async function confirmRegistrations(deps: RegistrationDeps, registrations: readonly Registration[]): Promise<void> {
  try {
    countRegistrations(deps.metrics, await deps.store.outbox.confirm(registrations));
  } catch (error) {
    throw new UnconfirmedRegistrationError(
      registrations.map((r) => r.attendee.attendeeId),
      error,
    );
  }
}

/**
 * Writes registrations the outbox holds (the same records, same ids) and, once Kafka acknowledged
 * them, makes them state. Throws UnconfirmedRegistrationError otherwise: they stay in the outbox,
 * even on a refusal, as an earlier write of theirs may have landed.
 */
export async function publishAgain(deps: RegistrationDeps, registrations: readonly Registration[]): Promise<void> {
  if (registrations.length === 0) return;
  const outcome = await publishRegistrations(deps, registrations);
  if (outcome.kind !== 'acknowledged')
    throw new UnconfirmedRegistrationError(
      registrations.map((r) => r.attendee.attendeeId),
      outcome.error,
    );
  await confirmRegistrations(deps, registrations);
}
