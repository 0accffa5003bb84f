import { createPublicKey, KeyObject } from 'node:crypto';
import { BadgeJwkSet } from '@expo/schemas';

/**
 * Public keys as a scanner gets them: the JWK set of `GET /v1/badge-keys` (or its JSON as fetched),
 * or KeyObjects by kid from a process that holds the key ring itself.
 */
export type BadgePublicKeys = BadgeJwkSet | ReadonlyMap<string, KeyObject> | Readonly<Record<string, KeyObject>>;

/**
 * Imports every key once, up front: parsing a JWK per scan would cost more than the signature
 * check. A malformed key set throws here rather than failing scans later.
 */
export function importPublicKeys(keys: BadgePublicKeys): ReadonlyMap<string, KeyObject> {
  if (keys instanceof Map) return checkedMap([...(keys as ReadonlyMap<string, KeyObject>)]);
  if (Array.isArray((keys as { keys?: unknown }).keys)) return fromJwks(keys);
  return checkedMap(Object.entries(keys as Readonly<Record<string, KeyObject>>));
}

function fromJwks(json: unknown): ReadonlyMap<string, KeyObject> {
  const parsed = BadgeJwkSet.safeParse(json);
  if (!parsed.success) throw new Error('badge keys are not a valid Ed25519 JWK set');
  return checkedMap(parsed.data.keys.map(({ kid, kty, crv, x }) => [kid, createPublicKey({ key: { kty, crv, x }, format: 'jwk' })]));
}

function checkedMap(entries: ReadonlyArray<readonly [string, unknown]>): ReadonlyMap<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const [kid, key] of entries) {
    if (map.has(kid)) throw new Error(`badge key ${kid} is listed twice`);
    map.set(kid, asEd25519PublicKey(kid, key));
  }
  return map;
}

function asEd25519PublicKey(kid: string, key: unknown): KeyObject {
  if (!(key instanceof KeyObject) || key.type === 'secret' || key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`badge key ${kid} is not an Ed25519 key`);
  }
  // A private key would verify too, but a verifier must never hold one.
  return key.type === 'private' ? createPublicKey(key) : key;
}
