import { Buffer } from 'node:buffer';
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testNames } from '@expo/testkit';
import { createBadgeVerifier, type BadgeVerifierOptions } from '../src/badge-verifier.ts';
import { BadgeKeyRing } from '../src/key-ring.ts';
import { badgeClaims, withCharChanged } from './fixtures.ts';

const ring = BadgeKeyRing.generate('k1');
const duringExpo = '2024-11-07T10:00:00+08:00';

function setup(options: Partial<BadgeVerifierOptions> = {}) {
  const expoId = testNames('badge-verifier').expoId;
  const verifier = createBadgeVerifier({ keys: ring.publicJwks(), expoId, ...options });
  const claims = badgeClaims({ eid: expoId, from: '2024-11-06', to: '2024-11-10' });
  return { expoId, verifier, claims, token: ring.sign(claims) };
}

/** Signs arbitrary bytes as registration would, to test what the schema check alone must catch. */
function signRaw(json: string): string {
  const encoded = Buffer.from(json, 'utf8').toString('base64url');
  return `${encoded}.${sign(null, Buffer.from(encoded, 'ascii'), ring.current.privateKey).toString('base64url')}`;
}

describe('createBadgeVerifier', () => {
  it('accepts a badge signed by a listed key and hands back the payload', async () => {
    const { verifier, token, claims } = setup();
    expect(await verifier.verify(token, { at: duringExpo })).toEqual({ ok: true, payload: { v: 1, kid: 'k1', ...claims } });
    expect(verifier.verifySync(token, { at: new Date(duringExpo) })).toEqual({ ok: true, payload: { v: 1, kid: 'k1', ...claims } });
    expect(verifier.kids).toEqual(['k1']);
  });

  it('rejects the token with any one character of its payload part changed', () => {
    const { verifier, token } = setup();
    for (let i = 0; i < token.indexOf('.'); i++) {
      const result = verifier.verifySync(withCharChanged(token, i), { at: duringExpo });
      expect(result, `changed at ${i}`).toMatchObject({ ok: false, reason: 'invalid_token' });
      expect(result).not.toHaveProperty('payload');
    }
  });

  it('rejects the token with any one character of its signature part changed', () => {
    const { verifier, token } = setup();
    for (let i = token.indexOf('.') + 1; i < token.length; i++) {
      const result = verifier.verifySync(withCharChanged(token, i), { at: duringExpo });
      expect(result, `changed at ${i}`).toMatchObject({ ok: false, reason: 'invalid_token' });
    }
  });

  it('rejects a signature respelled in the unused bits of its last character', () => {
    const { verifier, token } = setup();
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The last of 86 characters carries 2 signature bits and 4 unused ones.
    const respelled = token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(verifier.verifySync(respelled, { at: duringExpo })).toEqual({ ok: false, reason: 'invalid_token', detail: 'malformed' });
  });

  it('rejects garbage, unknown keys and signed payloads that fail the schema as invalid_token', () => {
    const { verifier, claims } = setup();
    const detail = (token: unknown) => (verifier.verifySync(token, { at: duringExpo }) as { detail?: string }).detail;
    expect(detail('')).toBe('malformed');
    expect(detail('not a token')).toBe('malformed');
    expect(detail(12)).toBe('malformed');
    expect(detail(BadgeKeyRing.generate('k2').sign(claims))).toBe('unknown_kid');
    expect(detail(BadgeKeyRing.generate('k1').sign(claims))).toBe('bad_signature');
    expect(detail(signRaw(JSON.stringify({ ...claims, v: 2, kid: 'k1' })))).toBe('bad_payload');
    expect(detail(signRaw(JSON.stringify({ ...claims, v: 1, kid: 'k1', cat: 'astronaut' })))).toBe('bad_payload');
    expect(detail(signRaw('{"kid":"k1"}'))).toBe('bad_payload');
  });

  it('rejects a badge of another expo as wrong_event', () => {
    const { verifier, claims } = setup();
    const otherExpo = testNames('other-expo').expoId;
    const other = ring.sign({ ...claims, eid: otherExpo });
    expect(verifier.verifySync(other, { at: duringExpo })).toMatchObject({ ok: false, reason: 'wrong_event', payload: { eid: otherExpo } });
  });

  it('counts valid days in the expo time zone: before from is not_valid_today, after to is expired_badge', () => {
    const { verifier, token } = setup();
    const reasonAt = (at: string) => {
      const result = verifier.verifySync(token, { at });
      return result.ok ? 'ok' : result.reason;
    };
    expect(reasonAt('2024-11-05T15:59:59Z')).toBe('not_valid_today');
    // 16:30 UTC on the 5th is 00:30 on the 6th in Shanghai: the first valid day.
    expect(reasonAt('2024-11-05T16:30:00Z')).toBe('ok');
    expect(reasonAt('2024-11-10T15:59:59Z')).toBe('ok');
    expect(reasonAt('2024-11-10T16:00:00Z')).toBe('expired_badge');
    expect(reasonAt('2025-03-01T12:00:00+08:00')).toBe('expired_badge');
  });

  it('uses the configured time zone', () => {
    const { verifier, token } = setup({ timeZone: 'UTC' });
    expect(verifier.verifySync(token, { at: '2024-11-05T16:30:00Z' })).toMatchObject({ ok: false, reason: 'not_valid_today' });
    expect(verifier.verifySync(token, { at: '2024-11-10T23:30:00Z' }).ok).toBe(true);
  });

  it('asks the revocation check last, with the badge id, sync or async', async () => {
    const revokedIds = new Set<string>();
    const asked: string[] = [];
    const sync = setup({ isRevoked: (bid) => (asked.push(bid), revokedIds.has(bid)) });
    const async = setup({ isRevoked: async (bid) => revokedIds.has(bid) });
    expect(sync.verifier.verifySync(sync.token, { at: duringExpo }).ok).toBe(true);
    expect(await async.verifier.verify(async.token, { at: duringExpo })).toMatchObject({ ok: true });

    revokedIds.add(sync.claims.bid);
    expect(sync.verifier.verifySync(sync.token, { at: duringExpo })).toMatchObject({ ok: false, reason: 'revoked', payload: { bid: sync.claims.bid } });
    expect(await sync.verifier.verify(sync.token, { at: duringExpo })).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await async.verifier.verify(async.token, { at: duringExpo })).toMatchObject({ ok: false, reason: 'revoked' });
    expect(() => async.verifier.verifySync(async.token, { at: duringExpo })).toThrow(/use verify\(\)/);

    asked.length = 0;
    expect(sync.verifier.verifySync(sync.token, { at: '2024-12-01T10:00:00+08:00' })).toMatchObject({ reason: 'expired_badge' });
    expect(sync.verifier.verifySync(withCharChanged(sync.token, 5), { at: duringExpo })).toMatchObject({ reason: 'invalid_token' });
    expect(asked).toEqual([]);
  });

  it('checks in order: signature, then expo, then days', () => {
    const { verifier, claims } = setup();
    const foreignAndExpired = ring.sign({ ...claims, eid: 'another-expo', to: '2024-11-06' });
    expect(verifier.verifySync(foreignAndExpired, { at: duringExpo })).toMatchObject({ reason: 'wrong_event' });
    const forgedForeign = BadgeKeyRing.generate('k1').sign({ ...claims, eid: 'another-expo' });
    expect(verifier.verifySync(forgedForeign, { at: duringExpo })).toMatchObject({ reason: 'invalid_token', detail: 'bad_signature' });
  });

  it('remembers verified tokens but still checks expo, days and revocation on every scan', () => {
    const revokedIds = new Set<string>();
    const { verifier, token, claims } = setup({ isRevoked: (bid) => revokedIds.has(bid) });
    const first = verifier.verifySync(token, { at: duringExpo });
    expect(first.ok).toBe(true);
    expect(verifier.verifySync(token, { at: '2024-12-01T10:00:00+08:00' })).toMatchObject({ reason: 'expired_badge' });
    revokedIds.add(claims.bid);
    expect(verifier.verifySync(token, { at: duringExpo })).toMatchObject({ reason: 'revoked' });
    expect(verifier.verifySync(withCharChanged(token, 3), { at: duringExpo })).toMatchObject({ reason: 'invalid_token' });
    // Callers share the remembered payload, so nobody may change it.
    expect(() => (first as { payload: { acc: string[] } }).payload.acc.push('vip_lounge')).toThrow(TypeError);
  });

  it('gives the same answers with the cache turned off', () => {
    const { verifier, token } = setup({ cacheSize: 0 });
    for (let i = 0; i < 3; i++) expect(verifier.verifySync(token, { at: duringExpo }).ok).toBe(true);
    expect(verifier.verifySync(withCharChanged(token, 3), { at: duringExpo })).toMatchObject({ reason: 'invalid_token' });
  });

  it('refuses an unusable configuration or scan time up front', () => {
    expect(() => createBadgeVerifier({ keys: ring.publicJwks(), expoId: '' })).toThrow(/expo id/);
    expect(() => createBadgeVerifier({ keys: ring.publicJwks(), expoId: 'x', timeZone: 'Nowhere/Special' })).toThrow(RangeError);
    const { verifier, token } = setup();
    expect(() => verifier.verifySync(token, { at: 'yesterday' })).toThrow(RangeError);
  });
});
