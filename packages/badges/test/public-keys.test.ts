import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importPublicKeys, type BadgePublicKeys } from '../src/public-keys.ts';
import { generateSigningKey, publicJwk } from '../src/signing-key.ts';

describe('importPublicKeys', () => {
  it('imports a JWK set, a Map or a record of KeyObjects to public KeyObjects by kid', () => {
    const key = generateSigningKey('k1');
    const inputs: BadgePublicKeys[] = [{ keys: [publicJwk(key)] }, new Map([['k1', key.publicKey]]), { k1: key.publicKey }, { k1: key.privateKey }];
    for (const input of inputs) {
      const keys = importPublicKeys(input);
      expect([...keys.keys()]).toEqual(['k1']);
      expect(keys.get('k1')!.type).toBe('public');
      expect(keys.get('k1')!.equals(key.publicKey)).toBe(true);
    }
  });

  it('fails at start-up on keys it could never verify with', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const jwk = publicJwk(generateSigningKey('k1'));
    expect(() => importPublicKeys({ k1: ec })).toThrow(/not an Ed25519 key/);
    expect(() => importPublicKeys({ keys: [jwk, jwk] })).toThrow(/listed twice/);
    expect(() => importPublicKeys({ keys: [{ ...jwk, crv: 'X25519' as never }] })).toThrow(/not a valid Ed25519 JWK set/);
  });
});
