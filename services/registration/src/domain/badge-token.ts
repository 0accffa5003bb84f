import { signBadgeToken, type BadgeKeyRing } from '@expo/badges';
import type { IssuedBadge } from '@expo/schemas';
import { badgeClaims } from './new-attendee.ts';

/**
 * A badge's token, signed with the key the badge was issued under. Ed25519 is deterministic, so
 * this is the same token every time it is asked for: it is signed when someone needs it (the 201
 * of a registration, a printed badge), never stored, and a bulk import does not spend its time
 * signing 50,000 tokens nobody reads. Null when that key has been retired from the ring.
 */
export function badgeTokenOf(badge: IssuedBadge, expoId: string, keyRing: BadgeKeyRing): string | null {
  const key = keyRing.keys.find((k) => k.kid === badge.kid);
  return key ? signBadgeToken(badgeClaims(badge, expoId), key) : null;
}
