import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { BadgeJwkSet, Id } from '@expo/schemas';
import { signBadgeToken, type BadgeClaims } from './badge-token.ts';
import { exportSigningKey, generateSigningKey, importSigningKey, publicJwk, SerializedSigningKey, type BadgeSigningKey } from './signing-key.ts';

export const SerializedKeyRing = z.object({
  current: Id,
  keys: z.array(SerializedSigningKey).min(1),
});
export type SerializedKeyRing = z.infer<typeof SerializedKeyRing>;

/**
 * Registration's signing keys. New badges are signed with `current`; every other key stays listed
 * (and published) so badges already printed keep verifying after a rotation, until the key is
 * retired once its last badge has expired. Immutable: rotating returns a new ring, so a ring read
 * by a request handler never changes under it.
 */
export class BadgeKeyRing {
  readonly current: BadgeSigningKey;
  readonly keys: readonly BadgeSigningKey[];

  /** `currentKid` defaults to the last key, the most recently added one. */
  constructor(keys: readonly BadgeSigningKey[], currentKid?: string) {
    const kids = new Set(keys.map((k) => k.kid));
    if (kids.size !== keys.length) throw new Error('a key ring cannot hold two keys with the same kid');
    const current = currentKid === undefined ? keys.at(-1) : keys.find((k) => k.kid === currentKid);
    if (!current) throw new Error(`the key ring has no key ${currentKid ?? '(empty ring)'}`);
    this.current = current;
    this.keys = [...keys];
  }

  static generate(kid?: string): BadgeKeyRing {
    return new BadgeKeyRing([generateSigningKey(kid)]);
  }

  /** Not `toJSON`: logging a ring must never serialise its private keys by accident. */
  static fromSerialized(json: unknown): BadgeKeyRing {
    const parsed = SerializedKeyRing.safeParse(json);
    if (!parsed.success) throw new Error('invalid serialized key ring');
    return new BadgeKeyRing(parsed.data.keys.map(importSigningKey), parsed.data.current);
  }

  serialize(): SerializedKeyRing {
    return { current: this.current.kid, keys: this.keys.map(exportSigningKey) };
  }

  sign(claims: BadgeClaims): string {
    return signBadgeToken(claims, this.current);
  }

  /** Signs with `next` from now on; the previous keys stay valid for verification. */
  rotate(next: BadgeSigningKey = generateSigningKey()): BadgeKeyRing {
    return new BadgeKeyRing([...this.keys, next], next.kid);
  }

  /** Badges signed with a retired key stop verifying, so retire a key only after they expired. */
  retire(kid: string): BadgeKeyRing {
    if (kid === this.current.kid) throw new Error(`cannot retire ${kid}: it is the current signing key`);
    return new BadgeKeyRing(
      this.keys.filter((k) => k.kid !== kid),
      this.current.kid,
    );
  }

  publicKeys(): ReadonlyMap<string, KeyObject> {
    return new Map(this.keys.map((k) => [k.kid, k.publicKey]));
  }

  /** The body of `GET /v1/badge-keys`. */
  publicJwks(): BadgeJwkSet {
    return BadgeJwkSet.parse({ keys: this.keys.map(publicJwk) });
  }
}
