import { createHash } from 'node:crypto';
import { expoKeys } from '@expo/service-kit';

const SERVICE = 'reg';

/** The SHA-256 of a normalised email: uniqueness without the address in a key name. */
export function emailDigest(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/**
 * Registration's Redis keys for one expo, all under its `{expoId}` hash tag. Entity keys are
 * rebuilt from the compacted topics; the outbox outlives a rebuild (its records may land after
 * the fold), as do idempotency records and rate-limit counters; all are lost with Redis itself.
 */
export function registrationKeys(expoId: string) {
  const key = expoKeys(expoId, SERVICE);
  return {
    attendee: (attendeeId: string) => key('attendee', attendeeId),
    email: (email: string) => key('email', emailDigest(email)),
    badge: (badgeId: string) => key('badge', badgeId),
    exhibitor: (exhibitorId: string) => key('exhibitor', exhibitorId),
    exhibitorKey: (keyHash: string) => key('exhibitor-key', keyHash),
    delegation: (delegationId: string) => key('delegation', delegationId),
    idempotency: (idempotencyKey: string) => key('idem', createHash('sha256').update(idempotencyKey).digest('hex')),
    /** Registrations whose records Kafka has not acknowledged (zset: attendeeId by when reserved, ms). */
    outbox: () => key('outbox'),
    /** One of them (hash): `registration` its attendee and badge (JSON), `claimed` once the outbox wrote it again. */
    outboxEntry: (attendeeId: string) => key('outbox', attendeeId),
    /** SCAN patterns of the rebuildable entity keys. */
    entityPatterns: () => ['attendee', 'email', 'badge', 'exhibitor', 'exhibitor-key', 'delegation'].map((p) => `${key(p)}:*`),
  };
}

export type RegistrationKeys = ReturnType<typeof registrationKeys>;
