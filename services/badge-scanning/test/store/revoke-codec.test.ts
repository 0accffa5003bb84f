import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryStore } from '../../src/store/registry-store.ts';
import { decodeRevokeReply, encodeRevokeArgs, type RevokeArgs } from '../../src/store/revoke-codec.ts';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { scriptFixture, type ScriptFixture } from './script-fixture.ts';

// revoke.lua's arguments and answer through the real script on the shared Redis: a revocation is
// numbered once, and the entry devices sync is the one the codec wrote.

let f: ScriptFixture;

const revoke = async (args: RevokeArgs) => {
  const k = f.keys;
  return decodeRevokeReply(await f.scripts.run('revoke', [k.revoked(), k.revocationSeq(), k.revocationLog()], encodeRevokeArgs(args)));
};

beforeAll(async () => {
  f = await scriptFixture('revoke-codec');
});

afterAll(async () => {
  await f.close();
});

describe('revoke.lua through the revoke codec', () => {
  it('numbers a revocation once, and devices sync the entry as it was sent', async () => {
    const first = { badgeId: 'badge-1', revokedAt: '2024-11-06T02:00:00.000Z' };
    const second = { badgeId: 'badge-2', revokedAt: '2024-11-06T03:00:00.000Z' };
    expect(await revoke(first)).toBe(1);
    expect(await revoke(second)).toBe(2);
    expect(await revoke({ ...first, revokedAt: '2024-11-07T00:00:00.000Z' })).toBeNull();

    const registry = new RegistryStore(f.redis, f.scripts, f.keys);
    expect(await registry.revocationsSince(0, 10)).toEqual({ entries: [first, second], cursor: 2 });
    expect(await registry.isRevoked('badge-2')).toBe(true);
  });
});

describe('a malformed revoke answer', () => {
  it('is refused with an error naming what was answered', () => {
    expect(() => decodeRevokeReply(-1)).toThrow(/^revoke\.lua answered -1: expected a sequence number, or 0 for a badge revoked before/);
    expect(() => decodeRevokeReply('1')).toThrow(ScriptAnswerError);
  });
});
