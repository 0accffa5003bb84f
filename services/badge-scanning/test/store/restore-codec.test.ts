import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDecision } from '../../src/store/decision-codec.ts';
import { decodeRestoreReply, encodeRestoreArgs, type RestoreEntry } from '../../src/store/restore-codec.ts';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { scriptFixture, type ScriptFixture } from './script-fixture.ts';

// restore.lua's arguments and answer through the real script on the shared Redis: a restored
// decision is read back whole and acknowledged, an annulment alone marks the decision before it.

let f: ScriptFixture;

const restore = async (ttlSeconds: number, entries: readonly RestoreEntry[]) => {
  const keys = entries.map((e) => f.keys.decision(e.scanId));
  return decodeRestoreReply(await f.scripts.run('restore', keys, encodeRestoreArgs({ ttlSeconds, entries })), entries.length);
};

beforeAll(async () => {
  f = await scriptFixture('restore-codec');
});

afterAll(async () => {
  await f.close();
});

describe('restore.lua through the restore codec', () => {
  it('restores a decision and a later annulment of it, in one call, with their TTL', async () => {
    const decided = await f.decide('scan-1', 'badge-1');
    const other = await f.decide('scan-2', 'badge-2', { preReason: 'wrong_event' });
    await f.redis.del(f.keys.decision('scan-1'), f.keys.decision('scan-2'));

    const restored = await restore(300, [
      { scanId: 'scan-1', decision: decided, annulledOccupancy: null },
      { scanId: 'scan-2', decision: other, annulledOccupancy: null },
      { scanId: 'scan-1', decision: null, annulledOccupancy: 7 },
    ]);
    expect(restored).toBe(3);
    const [json, committed, annulled] = await f.redis.hmget(f.keys.decision('scan-1'), 'j', 'c', 'a');
    expect(decodeDecision(json!)).toEqual(decided);
    expect([committed, annulled]).toEqual(['1', '7']);
    expect(await f.scans.read('scan-2')).toMatchObject({ decision: other, committed: true });
    const ttl = await f.redis.ttl(f.keys.decision('scan-2'));
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('answers 0 for an empty batch', async () => {
    expect(await restore(300, [])).toBe(0);
  });
});

describe('a malformed restore answer', () => {
  it('is refused unless it counts every entry sent', () => {
    expect(() => decodeRestoreReply(2, 3)).toThrow(/^restore\.lua answered 2: expected the 3 entries it was sent/);
    expect(() => decodeRestoreReply(['3'], 3)).toThrow(ScriptAnswerError);
  });
});
