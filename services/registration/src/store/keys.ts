import { createHash } from 'node:crypto';
import { expoKeys } from '@expo/service-kit';

const SERVICE = 'reg';

/** The SHA-256 of a normalised email: uniqueness without the address in a key name. */
export function emailDigest(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/**
 * Registration's Redis keys for one expo, all under its `{expoId}` hash tag. Entity keys are
 * rebuilt from the compacted topics; idempotency records and rate-limit counters are not.
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
    /** SCAN patterns of the rebuildable entity keys. */
    entityPatterns: () => ['attendee', 'email', 'badge', 'exhibitor', 'exhibitor-key', 'delegation'].map((p) => `${key(p)}:*`),
  };
}

export type RegistrationKeys = ReturnType<typeof registrationKeys>;
