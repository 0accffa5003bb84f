import { Buffer } from 'node:buffer';
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadgeJwkSet } from '@expo/schemas';
import { createBadgeVerifier } from '../src/badge-verifier.ts';
import { BadgeKeyRing } from '../src/key-ring.ts';
import { generateSigningKey } from '../src/signing-key.ts';
import { badgeClaims } from './fixtures.ts';

const at = '2024-11-06T10:00:00+08:00';
const verifierFor = (ring: BadgeKeyRing) => createBadgeVerifier({ keys: ring.publicJwks(), expoId: 'ciie-2024' });

describe('BadgeKeyRing', () => {
  it('publishes every key as GET /v1/badge-keys shows it', () => {
    const ring = BadgeKeyRing.generate('k-2024a').rotate(generateSigningKey('k-2024b'));
    const jwks = ring.publicJwks();
    expect(BadgeJwkSet.parse(jwks)).toEqual(jwks);
    expect(jwks.keys.map((k) => Object.keys(k))).toEqual([
      ['kty', 'crv', 'alg', 'kid', 'x'],
      ['kty', 'crv', 'alg', 'kid', 'x'],
    ]);
    expect(jwks.keys.map((k) => [k.kty, k.crv, k.alg, k.kid])).toEqual([
      ['OKP', 'Ed25519', 'EdDSA', 'k-2024a'],
      ['OKP', 'Ed25519', 'EdDSA', 'k-2024b'],
    ]);
  });

  it('lets a stock Ed25519 implementation verify a badge with the published JWK alone', () => {
    const ring = BadgeKeyRing.generate('k1');
    const token = ring.sign(badgeClaims());
    const [signedPart, signature] = token.split('.') as [string, string];
    const jwk = ring.publicJwks().keys[0]!;
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify(null, Buffer.from(signedPart, 'ascii'), key, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(signedPart, 'base64url').toString('utf8'))).toMatchObject({ kid: 'k1', bid: badgeClaims().bid });
  });

  it('rotates without reprinting: old badges verify while the old key is listed, then stop once it is retired', () => {
    const before = BadgeKeyRing.generate('old');
    const oldBadge = before.sign(badgeClaims());
    const after = before.rotate(generateSigningKey('new'));
    const newBadge = after.sign(badgeClaims());

    expect(after.current.kid).toBe('new');
    expect(verifierFor(after).verifySync(oldBadge, { at })).toMatchObject({ ok: true, payload: { kid: 'old' } });
    expect(verifierFor(after).verifySync(newBadge, { at })).toMatchObject({ ok: true, payload: { kid: 'new' } });

    const retired = after.retire('old');
    expect(retired.publicJwks().keys.map((k) => k.kid)).toEqual(['new']);
    expect(verifierFor(retired).verifySync(oldBadge, { at })).toEqual({ ok: false, reason: 'invalid_token', detail: 'unknown_kid' });
    expect(verifierFor(before).verifySync(newBadge, { at })).toEqual({ ok: false, reason: 'invalid_token', detail: 'unknown_kid' });
  });

  it('keeps its keys through serialisation, current key included', () => {
    const ring = BadgeKeyRing.generate('a').rotate(generateSigningKey('b'));
    const restored = BadgeKeyRing.fromSerialized(JSON.parse(JSON.stringify(ring.serialize())));
    expect(restored.current.kid).toBe('b');
    expect(restored.publicJwks()).toEqual(ring.publicJwks());
    expect(verifierFor(ring).verifySync(restored.sign(badgeClaims()), { at }).ok).toBe(true);
  });

  it('never leaks private keys through JSON.stringify (as a careless log line would)', () => {
    const ring = BadgeKeyRing.generate('a');
    expect(JSON.stringify(ring)).not.toContain('PRIVATE');
    expect(JSON.stringify(ring.serialize())).toContain('PRIVATE KEY');
  });

  it('refuses an inconsistent ring', () => {
    const a = generateSigningKey('a');
    expect(() => new BadgeKeyRing([])).toThrow(/no key/);
    expect(() => new BadgeKeyRing([a, a])).toThrow(/same kid/);
    expect(() => new BadgeKeyRing([a], 'b')).toThrow(/no key b/);
    expect(() => new BadgeKeyRing([a]).retire('a')).toThrow(/current signing key/);
    expect(() => BadgeKeyRing.fromSerialized({ current: 'a', keys: [] })).toThrow(/invalid serialized key ring/);
  });
});
