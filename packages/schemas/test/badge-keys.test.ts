import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { BadgeJwkSet, BadgePublicJwk } from '../src/badge-keys.ts';

describe('badge public keys', () => {
  it("accept the JWK Node's own Ed25519 export produces", () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const jwk = { ...publicKey.export({ format: 'jwk' }), alg: 'EdDSA', kid: 'key-2024-1' };
    expect(BadgePublicJwk.parse(jwk).crv).toBe('Ed25519');
    expect(BadgeJwkSet.safeParse({ keys: [jwk] }).success).toBe(true);
  });

  it('reject other curves and malformed keys', () => {
    const good = { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'k', x: 'A'.repeat(43) };
    expect(BadgePublicJwk.safeParse(good).success).toBe(true);
    expect(BadgePublicJwk.safeParse({ ...good, crv: 'X25519' }).success).toBe(false);
    expect(BadgePublicJwk.safeParse({ ...good, x: `${'A'.repeat(42)}=` }).success).toBe(false);
  });
});
