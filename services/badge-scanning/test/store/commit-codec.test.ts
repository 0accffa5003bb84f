import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAnnulArgs } from '../../src/store/annul-codec.ts';
import { decodeCommitReply, decodeOutboxMember, encodeCommitArgs, encodeOutboxMember } from '../../src/store/commit-codec.ts';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { DEVICE, scriptFixture, type ScriptFixture } from './script-fixture.ts';

// commit.lua's arguments and answer through the real script on the shared Redis: the outbox
// members the codec names are the ones scan.lua and annul.lua put in the outbox.

let f: ScriptFixture;

const commit = async (members: readonly string[]) => {
  const k = f.keys;
  const keys = [k.unconfirmed(), k.unconfirmedBadges(), ...members.map((m) => k.decision(decodeOutboxMember(m).scanId))];
  return decodeCommitReply(await f.scripts.run('commit', keys, encodeCommitArgs(members)), members.length);
};

beforeAll(async () => {
  f = await scriptFixture('commit-codec');
});

afterAll(async () => {
  await f.close();
});

describe('commit.lua through the commit codec', () => {
  it('marks a decision and an annulment acknowledged, named as the outbox holds them, and counts them', async () => {
    await f.decide('scan-1', 'badge-1');
    await f.decide('scan-2', 'badge-2');
    const k = f.keys;
    await f.scripts.run(
      'annul',
      [k.decision('scan-2'), k.location(), k.occupancy(), k.unconfirmed()],
      encodeAnnulArgs({ scanId: 'scan-2', deviceId: DEVICE, windowMs: 60_000 }),
    );

    const decision = encodeOutboxMember({ scanId: 'scan-1', annulment: false });
    const annulment = encodeOutboxMember({ scanId: 'scan-2', annulment: true });
    expect(await f.redis.zrange(k.unconfirmed(), 0, -1)).toEqual(expect.arrayContaining([decision, 'scan-2', annulment]));
    expect(decodeOutboxMember(annulment)).toEqual({ scanId: 'scan-2', annulment: true });
    expect(decodeOutboxMember(decision)).toEqual({ scanId: 'scan-1', annulment: false });

    expect(await commit([decision, annulment])).toBe(2);
    expect(await f.redis.hget(k.decision('scan-1'), 'c')).toBe('1');
    expect(await f.redis.hmget(k.decision('scan-2'), 'c', 'ac')).toEqual(['0', '1']);
    expect(await f.redis.zrange(k.unconfirmed(), 0, -1)).toEqual(['scan-2']);
    expect(await f.redis.hget(k.unconfirmedBadges(), 'badge-1')).toBeNull();
    expect(await f.redis.hget(k.unconfirmedBadges(), 'badge-2')).not.toBeNull();

    // A decision that expired meanwhile is not brought back, and still counted.
    await f.redis.del(k.decision('scan-2'));
    expect(await commit(['scan-2'])).toBe(1);
    expect(await f.redis.exists(k.decision('scan-2'))).toBe(0);
  });
});

describe('a malformed commit answer', () => {
  it('is refused unless it counts every member sent', () => {
    expect(() => decodeCommitReply(1, 2)).toThrow(/^commit\.lua answered 1: expected the 2 entries it was sent/);
    expect(() => decodeCommitReply('2', 2)).toThrow(ScriptAnswerError);
  });
});
