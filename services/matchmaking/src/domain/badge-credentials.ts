import { createBadgeVerifier, type BadgeVerifier } from '@expo/badges';
import type { BadgePublicJwk } from '@expo/schemas';

const BEARER = /^Bearer +(\S+)$/i;

/**
 * Buyers authenticate with their badge token: registration signs it and publishes the public
 * keys on `registration.badge-keys.v1`, so a valid signature for this expo proves the attendee
 * without any call to registration. Validity days do not matter (matchmaking happens before).
 */
export class BadgeCredentials {
  private readonly jwks = new Map<string, BadgePublicJwk>();
  private verifier: BadgeVerifier | null = null;

  constructor(private readonly expo: { expoId: string; timeZone: string }) {}

  setKey(kid: string, jwk: BadgePublicJwk): void {
    this.jwks.set(kid, jwk);
    this.verifier = createBadgeVerifier({ keys: { keys: [...this.jwks.values()] }, expoId: this.expo.expoId, timeZone: this.expo.timeZone });
  }

  /** The attendee id a bearer badge token speaks for, or null. */
  attendeeOf(authorization: string | undefined): string | null {
    const token = authorization ? BEARER.exec(authorization.trim())?.[1] : undefined;
    if (!token || !this.verifier) return null;
    const result = this.verifier.verifySync(token);
    const payload = result.ok || result.reason === 'not_valid_today' || result.reason === 'expired_badge' ? result.payload : undefined;
    return payload?.aid ?? null;
  }
}
