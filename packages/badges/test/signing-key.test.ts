import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadgePublicJwk, Id } from '@expo/schemas';
import { decodeBadgeToken, signBadgeToken } from '../src/badge-token.ts';
import { createBadgeVerifier } from '../src/badge-verifier.ts';
import { exportSigningKey, generateSigningKey, importSigningKey, newKeyId, publicJwk } from '../src/signing-key.ts';
import { badgeClaims } from './fixtures.ts';

describe('signing keys', () => {
  it('generates distinct, sortable key ids that are valid ids', () => {
    const a = newKeyId(new Date('2024-11-05T08:00:00Z'));
    expect(a).toMatch(/^20241105-[0-9a-f]{6}$/);
    expect(Id.safeParse(a).success).toBe(true);
    expect(generateSigningKey().kid).not.toBe(generateSigningKey().kid);
  });

  it('survives JSON (as kept in Redis or config) and still signs badges the original public key accepts', () => {
    const original = generateSigningKey('2024-a');
    const stored = JSON.parse(JSON.stringify(exportSigningKey(original))) as unknown;
    const restored = importSigningKey(stored);
    expect(restored.kid).toBe('2024-a');
    const verifier = createBadgeVerifier({ keys: new Map([['2024-a', original.publicKey]]), expoId: 'ciie-2024' });
    const token = signBadgeToken(badgeClaims(), restored);
    expect(verifier.verifySync(token, { at: '2024-11-06T10:00:00+08:00' }).ok).toBe(true);
    expect(decodeBadgeToken(token)?.kid).toBe('2024-a');
  });

  it('refuses keys that are not Ed25519, without echoing the key material', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => importSigningKey({ kid: 'k', alg: 'EdDSA', privateKeyPem: rsa })).toThrow(/not Ed25519/);
    const broken = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LW1hdGVyaWFs\n-----END PRIVATE KEY-----';
    try {
      importSigningKey({ kid: 'k', alg: 'EdDSA', privateKeyPem: broken });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/not a readable PKCS#8 key/);
      expect(String(error)).not.toContain('c2VjcmV0');
    }
    expect(() => importSigningKey({ kid: 'k', privateKeyPem: 'x' })).toThrow(/invalid serialized signing key \(alg, privateKeyPem\)/);
  });

  it('publishes the public half as an RFC 8037 JWK', () => {
    const jwk = publicJwk(generateSigningKey('k1'));
    expect(Object.keys(jwk)).toEqual(['kty', 'crv', 'alg', 'kid', 'x']);
    expect(BadgePublicJwk.parse(jwk)).toEqual(jwk);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'k1' });
  });
});
