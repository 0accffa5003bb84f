import { describe, expect, it } from 'vitest';
import { BadgeKeysResponse, BadgeParams } from '../../../src/http/registration/badges.ts';

describe('badge routes', () => {
  it('serve keys as a JWK set', () => {
    const keys = { keys: [{ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'key-1', x: 'A'.repeat(43) }] };
    expect(BadgeKeysResponse.parse(keys)).toEqual(keys);
    expect(BadgeParams.safeParse({ badgeId: '../etc' }).success).toBe(false);
  });
});
