import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { decodeSweepReply, decodeUnconfirmedChunk, encodeSweepArgs, type SweepArgs, type SweptBadge } from '../../src/store/sweep-codec.ts';
import { SweepStore } from '../../src/store/sweep-store.ts';
import { SCANNED_AT_MS, scriptFixture, type ScriptFixture } from './script-fixture.ts';

// sweep.lua's arguments and answer, and the chunk it keeps until Kafka acknowledges it, through
// the real script on the shared Redis: each badge walked out comes back by name, step by step.

let f: ScriptFixture;
const atMs = SCANNED_AT_MS + 3_600_000;

const sweep = async (args: SweepArgs) => {
  const k = f.keys;
  const keys = [k.zoneMeta(), k.location(), k.occupancy(), k.lastMove(), k.badgeAttendee(), k.sweepUnconfirmed()];
  return decodeSweepReply(await f.scripts.run('sweep', keys, encodeSweepArgs(args)));
};

beforeAll(async () => {
  f = await scriptFixture('sweep-codec');
});

afterAll(async () => {
  await f.close();
});

describe('sweep.lua through the sweep codec', () => {
  it('walks every badge inside out, zone by zone, and keeps the chunks it answers', async () => {
    await f.decide('scan-1', 'badge-1');
    await f.decide('scan-2', 'badge-2');
    // A badge in the venue only, with no attendee known: the badge stands for it.
    await f.redis.hset(f.keys.location(), 'badge-3', 'necc');
    await f.redis.hincrby(f.keys.occupancy(), 'necc', 1);

    const swept: SweptBadge[] = [];
    const names: string[] = [];
    let cursor = '0';
    do {
      const chunkName = `2024-11-06|${atMs}-${names.length}`;
      const chunk = await sweep({ cursor, chunkSize: 2, atMs, chunkName });
      cursor = chunk.cursor;
      swept.push(...chunk.swept);
      if (chunk.swept.length > 0) names.push(chunkName);
    } while (cursor !== '0');

    const byBadge = new Map(swept.map((b) => [b.badgeId, b]));
    expect(byBadge.size).toBe(3);
    expect(byBadge.get('badge-1')).toEqual({
      badgeId: 'badge-1',
      attendeeId: 'attendee-of-badge-1',
      previousLocation: 'hall-1',
      steps: [
        { zoneId: 'hall-1', fromZoneId: 'hall-1', toZoneId: 'necc', occupancyAfter: expect.any(Number) },
        { zoneId: 'necc', fromZoneId: 'necc', toZoneId: null, occupancyAfter: expect.any(Number) },
      ],
    });
    expect(byBadge.get('badge-3')).toEqual({
      badgeId: 'badge-3',
      attendeeId: 'badge-3',
      previousLocation: 'necc',
      steps: [{ zoneId: 'necc', fromZoneId: 'necc', toZoneId: null, occupancyAfter: expect.any(Number) }],
    });
    const lastSteps = swept.flatMap((b) => b.steps).map((s) => s.occupancyAfter);
    expect(Math.min(...lastSteps)).toBe(0);
    expect(await f.redis.hgetall(f.keys.occupancy())).toEqual({ necc: '0', 'hall-1': '0' });
    expect(await f.redis.hlen(f.keys.location())).toBe(0);
    expect(await f.redis.hget(f.keys.lastMove(), 'badge-3')).toBe(String(atMs));

    // What the chunks keep is what they answered.
    const kept = await new SweepStore(f.redis, f.scripts, f.keys).unconfirmedChunks();
    expect(kept.map((c) => c.name).sort()).toEqual([...names].sort());
    expect(kept.every((c) => c.atMs === atMs)).toBe(true);
    expect(kept.flatMap((c) => c.swept)).toEqual(expect.arrayContaining(swept));
    expect(kept.flatMap((c) => c.swept)).toHaveLength(3);
  });

  it('answers an empty chunk when nobody is inside', async () => {
    expect(await sweep({ cursor: '0', chunkSize: 10, atMs, chunkName: 'empty' })).toEqual({ cursor: '0', swept: [] });
    expect(await f.redis.hexists(f.keys.sweepUnconfirmed(), 'empty')).toBe(0);
  });
});

describe('a malformed sweep answer', () => {
  it('is refused, whether answered or kept', async () => {
    await f.redis.hset(f.keys.sweepUnconfirmed(), 'broken', `${atMs}|[{"b":"badge-9","a":"x","prev":"necc","m":[["necc","in","necc","",0]]}]`);
    await expect(new SweepStore(f.redis, f.scripts, f.keys).unconfirmedChunks()).rejects.toThrow(/^the unconfirmed sweep chunk broken is malformed: 0\.m/);
    await f.redis.hdel(f.keys.sweepUnconfirmed(), 'broken');

    expect(() => decodeUnconfirmedChunk('broken', '[]')).toThrow(/the unconfirmed sweep chunk broken is malformed: .* without its sweep time/);
    expect(() => decodeSweepReply(['next', '[]'])).toThrow(/^sweep\.lua's answer is malformed: 0: /);
    expect(() => decodeSweepReply(['0', '[{'])).toThrow(/sweep\.lua's chunk is not JSON/);
    expect(() => decodeSweepReply('0')).toThrow(ScriptAnswerError);
  });
});
