import { hash, verify as verifySignature, type KeyObject } from 'node:crypto';
import { BadgeTokenPayload, type RejectionReason } from '@expo/schemas';
import { splitBadgeToken } from './badge-token.ts';
import { localDateFormatter } from './local-date.ts';
import { LruCache } from './lru-cache.ts';
import { importPublicKeys, type BadgePublicKeys } from './public-keys.ts';

export const DEFAULT_EXPO_TIME_ZONE = 'Asia/Shanghai';
const DEFAULT_CACHE_SIZE = 10_000;

export type BadgeRejectionReason = Extract<RejectionReason, 'invalid_token' | 'wrong_event' | 'not_valid_today' | 'expired_badge' | 'revoked'>;

/** Why a token is `invalid_token`, for logs and ops (an unknown kid usually means stale keys). */
export type InvalidTokenDetail = 'malformed' | 'unknown_kid' | 'bad_signature' | 'bad_payload';

/** A payload is only ever returned once its signature has been checked. Payloads are frozen. */
export type BadgeVerification =
  | { readonly ok: true; readonly payload: BadgeTokenPayload }
  | { readonly ok: false; readonly reason: 'invalid_token'; readonly detail: InvalidTokenDetail }
  | {
      readonly ok: false;
      readonly reason: Exclude<BadgeRejectionReason, 'invalid_token'>;
      readonly payload: BadgeTokenPayload;
    };

export interface BadgeVerifierOptions {
  readonly keys: BadgePublicKeys;
  readonly expoId: string;
  /** IANA zone in which the badge's `from`/`to` days are counted. */
  readonly timeZone?: string;
  readonly isRevoked?: (badgeId: string, payload: BadgeTokenPayload) => boolean | Promise<boolean>;
  /**
   * How many tokens whose signature already checked out to remember (default 10,000, about 3 MB;
   * 0 turns it off). A badge is scanned many times a day and Ed25519 verification is the cost of a
   * scan, so a repeat costs a map lookup. Expo, days and revocation are still checked every time.
   */
  readonly cacheSize?: number;
}

export interface VerifyOptions {
  /** When the badge was scanned; now by default. Offline scans pass their device time. */
  readonly at?: Date | string;
}

export interface BadgeVerifier {
  readonly kids: readonly string[];
  verify(token: unknown, options?: VerifyOptions): Promise<BadgeVerification>;
  /** For a sync `isRevoked` (or none); throws if the callback returns a promise. */
  verifySync(token: unknown, options?: VerifyOptions): BadgeVerification;
}

export function createBadgeVerifier(options: BadgeVerifierOptions): BadgeVerifier {
  const checkSignature = signatureChecker(importPublicKeys(options.keys), options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const localDate = localDateFormatter(options.timeZone ?? DEFAULT_EXPO_TIME_ZONE);
  const { expoId, isRevoked } = options;
  if (!expoId) throw new Error('a badge verifier needs the expo id');

  const check = (token: unknown, at: Date | string | undefined): BadgeVerification => {
    const signed = checkSignature(token);
    if (!signed.ok) return signed;
    const { payload } = signed;
    if (payload.eid !== expoId) return { ok: false, reason: 'wrong_event', payload };
    const day = localDate(instant(at));
    if (day < payload.from) return { ok: false, reason: 'not_valid_today', payload };
    if (day > payload.to) return { ok: false, reason: 'expired_badge', payload };
    return signed;
  };

  return {
    kids: checkSignature.kids,
    async verify(token, { at } = {}) {
      const result = check(token, at);
      if (!result.ok || !isRevoked) return result;
      return (await isRevoked(result.payload.bid, result.payload)) ? revoked(result.payload) : result;
    },
    verifySync(token, { at } = {}) {
      const result = check(token, at);
      if (!result.ok || !isRevoked) return result;
      const answer = isRevoked(result.payload.bid, result.payload);
      if (typeof answer !== 'boolean') throw new TypeError('isRevoked returned a promise: use verify()');
      return answer ? revoked(result.payload) : result;
    },
  };
}

/**
 * Signature and schema, the part of a check that depends on the token alone. The kid is read from
 * the payload before it is trusted, but only to pick the key: the signature covers it, so a forged
 * kid can only select a key that then fails to verify. Only verified tokens are remembered, keyed
 * by the SHA-256 of the exact token text, so a cached answer is the one a fresh check would give.
 * Remembered payloads share the values badges repeat (expo, kid, category, days, access list):
 * with the digest as key, an entry takes far less memory than the token text and a payload of its
 * own (README, "Measurements behind code choices").
 */
function signatureChecker(keys: ReadonlyMap<string, KeyObject>, cacheSize: number) {
  const verified = new LruCache<string, BadgeTokenPayload>(cacheSize);
  const shared = sharedValues();
  const check = (token: unknown): BadgeVerification => {
    const digest = typeof token === 'string' && cacheSize > 0 ? hash('sha256', token, 'base64') : undefined;
    const cached = digest === undefined ? undefined : verified.get(digest);
    if (cached) return { ok: true, payload: cached };
    const parts = splitBadgeToken(token);
    if (!parts) return invalid('malformed');
    const kid = (parts.claims as { kid?: unknown } | null)?.kid;
    const key = typeof kid === 'string' ? keys.get(kid) : undefined;
    if (!key) return invalid('unknown_kid');
    if (!verifySignature(null, parts.signingInput, key, parts.signature)) return invalid('bad_signature');
    const parsed = BadgeTokenPayload.safeParse(parts.claims);
    if (!parsed.success) return invalid('bad_payload');
    // Frozen because the same object is handed to every later caller with the same token. Built as
    // a literal: V8 gives a frozen copy of a spread object a hidden class of its own, about 300
    // bytes more per cached badge (52.7 against 23.0 MB per 100,000 in a micro-benchmark).
    const { v, kid: k, bid, aid, eid, cat, acc, from, to } = parsed.data;
    const payload: BadgeTokenPayload = Object.freeze({
      v,
      kid: shared.text(k),
      bid,
      aid,
      eid: shared.text(eid),
      cat: shared.text(cat) as typeof cat,
      acc: shared.list(acc),
      from: shared.text(from),
      to: shared.text(to),
    });
    if (digest !== undefined) verified.set(digest, payload);
    return { ok: true, payload };
  };
  return Object.assign(check, { kids: [...keys.keys()] as readonly string[] });
}

/** One copy of each value many verified payloads repeat; bounded, past that values are kept as they are. */
function sharedValues(limit = 4096) {
  const texts = new Map<string, string>();
  const lists = new Map<string, string[]>();
  return {
    text(value: string): string {
      const known = texts.get(value);
      if (known !== undefined) return known;
      if (texts.size < limit) texts.set(value, value);
      return value;
    },
    list(values: string[]): string[] {
      const id = values.join('\u0000');
      const known = lists.get(id);
      if (known !== undefined) return known;
      const frozen = Object.freeze(values.map((v) => this.text(v))) as string[];
      if (lists.size < limit) lists.set(id, frozen);
      return frozen;
    },
  };
}

function invalid(detail: InvalidTokenDetail): BadgeVerification {
  return { ok: false, reason: 'invalid_token', detail };
}

function revoked(payload: BadgeTokenPayload): BadgeVerification {
  return { ok: false, reason: 'revoked', payload };
}

function instant(at: Date | string | undefined): Date {
  const date = at === undefined ? new Date() : at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) throw new RangeError('scan time is not a valid date');
  return date;
}
