import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './principal.ts';

/**
 * SHA-256 of a key or token, hex: the only form in which keys are stored or looked up. One-shot
 * `hash` (Node >= 20.12): every authenticated request pays it, and it costs a fraction of a
 * `createHash` object's update and digest (README, "Measurements behind code choices").
 */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export interface GeneratedKey {
  /** Shown to its owner once, never stored. */
  readonly key: string;
  /** What the issuing service stores (e.g. in its Redis) to resolve the key later. */
  readonly hash: string;
}

/** A fresh random key, `<prefix>_<43 url-safe chars>` (256 bits), and its hash. */
export function generateKey(prefix: string): GeneratedKey {
  if (!/^[a-z]{2,12}$/.test(prefix)) throw new Error(`key prefix must be 2-12 lowercase letters, got "${prefix}"`);
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashKey(key) };
}

interface StaticToken {
  readonly role: Role;
  readonly hash: Buffer;
  readonly fingerprint: string;
}

export interface StaticTokenMatch {
  readonly role: Role;
  /** First hex digits of the token's hash: tells tokens apart in logs without revealing them. */
  readonly fingerprint: string;
}

/**
 * Admin and ops tokens from configuration, held only as hashes. A lookup compares against every
 * hash in constant time per entry, so timing reveals neither a token nor which one matched.
 */
export class StaticTokens {
  readonly #tokens: StaticToken[];

  constructor(byRole: Partial<Record<Role, readonly string[]>>) {
    const seen = new Set<string>();
    this.#tokens = [];
    for (const [role, tokens] of Object.entries(byRole) as [Role, readonly string[]][]) {
      for (const token of tokens) {
        const hex = hashKey(token);
        if (seen.has(hex)) throw new Error(`a ${role} token is configured twice (or for two roles)`);
        seen.add(hex);
        this.#tokens.push({ role, hash: Buffer.from(hex, 'hex'), fingerprint: hex.slice(0, 8) });
      }
    }
  }

  match(token: string): StaticTokenMatch | null {
    return this.matchHash(hashKey(token));
  }

  /** `match` for a token already hashed with `hashKey` (the caller hashes once per request). */
  matchHash(tokenHash: string): StaticTokenMatch | null {
    const presented = Buffer.from(tokenHash, 'hex');
    let found: StaticToken | null = null;
    for (const entry of this.#tokens) {
      if (timingSafeEqual(entry.hash, presented) && found === null) found = entry;
    }
    return found && { role: found.role, fingerprint: found.fingerprint };
  }
}
