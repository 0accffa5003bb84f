import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeBadgeToken, MAX_BADGE_TOKEN_LENGTH, signBadgeToken } from '../src/badge-token.ts';
import { generateSigningKey } from '../src/signing-key.ts';
import { badgeClaims } from './fixtures.ts';

const key = generateSigningKey('k1');

describe('signBadgeToken', () => {
  it('makes two unpadded base64url parts, the first a compact JSON payload with the key id', () => {
    const token = signBadgeToken(badgeClaims(), key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    const json = Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');
    expect(json).toBe(
      '{"v":1,"kid":"k1","bid":"b_01JC8Z5W3Q9YV7K2M4N6P8R0ST","aid":"a_01JC8Z5W3Q9YV7K2M4N6P8R0SV",' +
        '"eid":"ciie-2024","cat":"professional_visitor","acc":["hall","forum"],"from":"2024-11-05","to":"2024-11-10"}',
    );
  });

  it('leaves out fields the schema does not know: they would only grow the QR code', () => {
    const claims = { ...badgeClaims(), name: 'Xiaoming Wang', email: 'x@example.com' };
    expect(decodeBadgeToken(signBadgeToken(claims, key))).not.toHaveProperty('name');
    expect(Buffer.from(signBadgeToken(claims, key).split('.')[0]!, 'base64url').toString()).not.toContain('example.com');
  });

  it('refuses a payload that names another key or fails the schema', () => {
    expect(() => signBadgeToken(badgeClaims({ kid: 'k2' }), key)).toThrow(/does not match/);
    expect(() => signBadgeToken(badgeClaims({ from: '5 Nov 2024' }), key)).toThrow();
    expect(() => signBadgeToken(badgeClaims({ cat: 'astronaut' as never }), key)).toThrow();
  });
});

describe('decodeBadgeToken', () => {
  it('reads the payload without a key', () => {
    expect(decodeBadgeToken(signBadgeToken(badgeClaims(), key))).toEqual({ v: 1, kid: 'k1', ...badgeClaims() });
  });

  it('answers null, never throws, on garbage', () => {
    const token = signBadgeToken(badgeClaims(), key);
    const [payload, signature] = token.split('.') as [string, string];
    const notJson = Buffer.from('{"v":1,').toString('base64url');
    const notUtf8 = Buffer.from([0x22, 0xff, 0x22]).toString('base64url');
    const array = Buffer.from('[1,2]').toString('base64url');
    const garbage: unknown[] = [
      undefined,
      null,
      42,
      {},
      '',
      '.',
      'abc',
      `${payload}.`,
      `.${signature}`,
      `${payload}.${signature}.x`,
      `${payload}=.${signature}`,
      `${payload}.${signature.slice(1)}`,
      `${notJson}.${signature}`,
      `${notUtf8}.${signature}`,
      `${array}.${signature}`,
      'A'.repeat(MAX_BADGE_TOKEN_LENGTH + 1),
      `${payload}.${signature}`.replace('e', ' '),
    ];
    for (const input of garbage) expect(decodeBadgeToken(input)).toBeNull();
  });
});
