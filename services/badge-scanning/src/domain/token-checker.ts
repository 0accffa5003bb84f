import { createBadgeVerifier, type BadgeVerifier } from '@expo/badges';
import type { BadgePublicJwk, BadgeTokenPayload, RejectionReason } from '@expo/schemas';
import { unverifiedBadgeId } from '@expo/schemas';

/** What the scan script needs from a token: whose badge, and any reason decided before state. */
export interface TokenCheck {
  readonly badgeId: string;
  readonly payload: BadgeTokenPayload | null;
  readonly reason: RejectionReason | null;
}

export interface TokenCheckerOptions {
  readonly expoId: string;
  readonly timeZone: string;
  readonly cacheSize: number;
  /** The public keys as last published on `registration.badge-keys.v1`. */
  readonly loadKeys: () => Promise<BadgePublicJwk[]>;
  readonly reloadIntervalMs?: number;
}

/**
 * Verifies badge tokens offline against the published keys. A token signed with a key this
 * instance has not loaded yet (rotated a moment ago) triggers a reload, at most once per interval,
 * so a forged kid cannot make every scan hit Redis.
 */
export class TokenChecker {
  private verifier: BadgeVerifier;
  private lastLoad = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: TokenCheckerOptions) {
    this.verifier = this.build([]);
  }

  async reload(): Promise<void> {
    this.lastLoad = Date.now();
    this.verifier = this.build(await this.options.loadKeys());
  }

  get kids(): readonly string[] {
    return this.verifier.kids;
  }

  async check(scanId: string, token: string, at: string): Promise<TokenCheck> {
    let result = this.verifier.verifySync(token, { at });
    if (!result.ok && result.reason === 'invalid_token' && result.detail === 'unknown_kid' && this.mayReload()) {
      this.loading ??= this.reload().finally(() => (this.loading = null));
      await this.loading;
      result = this.verifier.verifySync(token, { at });
    }
    if (result.ok) return { badgeId: result.payload.bid, payload: result.payload, reason: null };
    if (result.reason === 'invalid_token') return { badgeId: unverifiedBadgeId(scanId), payload: null, reason: 'invalid_token' };
    return { badgeId: result.payload.bid, payload: result.payload, reason: result.reason };
  }

  private mayReload(): boolean {
    return this.loading !== null || Date.now() - this.lastLoad >= (this.options.reloadIntervalMs ?? 1000);
  }

  private build(keys: BadgePublicJwk[]): BadgeVerifier {
    return createBadgeVerifier({ keys: { keys }, expoId: this.options.expoId, timeZone: this.options.timeZone, cacheSize: this.options.cacheSize });
  }
}
