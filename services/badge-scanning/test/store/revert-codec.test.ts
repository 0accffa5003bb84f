import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAnnulArgs } from '../../src/store/annul-codec.ts';
import { decodeRevertReply, encodeRevertArgs, type RevertArgs } from '../../src/store/revert-codec.ts';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { DEVICE, scriptFixture, type ScriptFixture } from './script-fixture.ts';

// revert.lua's arguments and answer through the real script on the shared Redis: each named field
// reaches the slot the script reads it from.

let f: ScriptFixture;

const revert = async (scanId: string, args: RevertArgs) => {
  const k = f.keys;
  const keys = [k.decision(scanId), k.location(), k.lastMove(), k.occupancy(), k.unconfirmed(), k.unconfirmedBadges()];
  return decodeRevertReply(await f.scripts.run('revert', keys, encodeRevertArgs(args)));
};

const occupancy = async () => Object.fromEntries(Object.entries(await f.redis.hgetall(f.keys.occupancy())).map(([zone, n]) => [zone, Number(n)]));

beforeAll(async () => {
  f = await scriptFixture('revert-codec');
});

afterAll(async () => {
  await f.close();
});

describe('revert.lua through the revert codec', () => {
  it('takes a decision back while the badge is where it left it, and answers false once it is not', async () => {
    await f.redis.hset(f.keys.lastMove(), 'badge-1', '1234');
    await f.decide('scan-1', 'badge-1');
    expect(await occupancy()).toEqual({ necc: 1, 'hall-1': 1 });
    const args: RevertArgs = {
      badgeId: 'badge-1',
      leftAt: 'hall-1',
      restoreLocation: null,
      restoreLastMoveMs: 1234,
      decisionHash: 'forget',
      outboxMember: 'scan-1',
      occupancyDeltas: [
        ['necc', -1],
        ['hall-1', -1],
      ],
    };
    expect(await revert('scan-1', args)).toBe(true);
    expect(await occupancy()).toEqual({ necc: 0, 'hall-1': 0 });
    expect(await f.redis.hget(f.keys.location(), 'badge-1')).toBeNull();
    expect(await f.redis.hget(f.keys.lastMove(), 'badge-1')).toBe('1234');
    expect(await f.redis.exists(f.keys.decision('scan-1'))).toBe(0);
    expect(await f.redis.zscore(f.keys.unconfirmed(), 'scan-1')).toBeNull();
    expect(await f.redis.hget(f.keys.unconfirmedBadges(), 'badge-1')).toBeNull();

    // The badge is outside now, not in hall-1: nothing more is taken back.
    expect(await revert('scan-1', args)).toBe(false);
    expect(await occupancy()).toEqual({ necc: 0, 'hall-1': 0 });
  });

  it('takes an annulment back, keeping the decision and the last move time', async () => {
    await f.decide('scan-2', 'badge-2');
    const lastMove = await f.redis.hget(f.keys.lastMove(), 'badge-2');
    const k = f.keys;
    await f.scripts.run(
      'annul',
      [k.decision('scan-2'), k.location(), k.occupancy(), k.unconfirmed()],
      encodeAnnulArgs({ scanId: 'scan-2', deviceId: DEVICE, windowMs: 60_000 }),
    );
    expect(await f.redis.hget(k.location(), 'badge-2')).toBe('necc');

    const undone = await revert('scan-2', {
      badgeId: 'badge-2',
      leftAt: 'necc',
      restoreLocation: 'hall-1',
      restoreLastMoveMs: null,
      decisionHash: 'unannul',
      outboxMember: 'annul:scan-2',
      occupancyDeltas: [['hall-1', 1]],
    });
    expect(undone).toBe(true);
    expect(await f.redis.hget(k.location(), 'badge-2')).toBe('hall-1');
    expect(await f.redis.hget(k.lastMove(), 'badge-2')).toBe(lastMove);
    expect(await occupancy()).toMatchObject({ 'hall-1': 1 });
    expect(await f.redis.hmget(k.decision('scan-2'), 'a', 'at', 'ac')).toEqual([null, null, null]);
    expect(await f.redis.hget(k.decision('scan-2'), 'j')).not.toBeNull();
    expect(await f.redis.zscore(k.unconfirmed(), 'annul:scan-2')).toBeNull();
    expect(await f.redis.zscore(k.unconfirmed(), 'scan-2')).not.toBeNull();
  });

  it('keeps the decision and the outbox when told to, moving only the badge', async () => {
    await f.decide('scan-3', 'badge-3');
    const args: RevertArgs = {
      badgeId: 'badge-3',
      leftAt: 'hall-1',
      restoreLocation: 'necc',
      restoreLastMoveMs: null,
      decisionHash: 'keep',
      outboxMember: null,
      occupancyDeltas: [],
    };
    expect(await revert('scan-3', args)).toBe(true);
    expect(await f.redis.hget(f.keys.location(), 'badge-3')).toBe('necc');
    expect(await f.redis.hget(f.keys.decision('scan-3'), 'j')).not.toBeNull();
    expect(await f.redis.zscore(f.keys.unconfirmed(), 'scan-3')).not.toBeNull();
  });
});

describe('a malformed revert answer', () => {
  it('is refused with an error naming what was answered', () => {
    expect(() => decodeRevertReply(2)).toThrow(/^revert\.lua answered 2: expected 1 \(taken back\) or 0/);
    expect(() => decodeRevertReply('1')).toThrow(ScriptAnswerError);
    expect(() => decodeRevertReply(null)).toThrow(/revert\.lua answered null/);
  });
});
