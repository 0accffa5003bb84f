import type { BadgeVerifier } from '@expo/badges';
import type { Principal } from '@expo/service-kit';

const BEARER = /^Bearer +(\S+)$/i;

/**
 * The attendee a bearer badge token speaks for: a token whose signature verifies with one of our
 * keys and that belongs to this expo. Its validity days do not matter here (a badge is printed
 * before the expo opens), and no lookup is needed, so the credential survives a Redis rebuild.
 */
export function attendeeFromBadgeToken(authorization: string | undefined, verifier: BadgeVerifier): Principal | null {
  const token = authorization ? BEARER.exec(authorization.trim())?.[1] : undefined;
  if (!token) return null;
  const result = verifier.verifySync(token);
  const payload = result.ok || result.reason === 'not_valid_today' || result.reason === 'expired_badge' ? result.payload : undefined;
  return payload ? { role: 'attendee', id: payload.bid } : null;
}
