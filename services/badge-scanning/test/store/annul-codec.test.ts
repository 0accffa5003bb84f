import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAnnulReply, encodeAnnulArgs, type AnnulArgs } from '../../src/store/annul-codec.ts';
import { ScriptAnswerError } from '../../src/store/script-answer.ts';
import { DEVICE, scriptFixture, type ScriptFixture } from './script-fixture.ts';

// annul.lua's arguments and answers through the real script on the shared Redis: what the codec
// sends is what the script reads, and each of its answers is read back by name.

let f: ScriptFixture;

const annul = async (args: AnnulArgs) => {
  const k = f.keys;
  const reply = await f.scripts.run('annul', [k.decision(args.scanId), k.location(), k.occupancy(), k.unconfirmed()], encodeAnnulArgs(args));
  return decodeAnnulReply(reply);
};

beforeAll(async () => {
  f = await scriptFixture('annul-codec');
});

afterAll(async () => {
  await f.close();
});

describe('annul.lua through the annul codec', () => {
  it('annuls a scan by its device within the window, then answers the same annulment again', async () => {
    const decided = await f.decide('scan-1', 'badge-1');
    const before = await f.scans.clock();
    const first = await annul({ scanId: 'scan-1', deviceId: DEVICE, windowMs: 60_000 });
    expect(first).toEqual({ kind: 'annulled', decision: decided, occupancy: 0, annulledAtMs: expect.any(Number), committed: false });
    const annulledAtMs = (first as { annulledAtMs: number }).annulledAtMs;
    expect(annulledAtMs).toBeGreaterThanOrEqual(before);
    expect(await f.redis.hget(f.keys.location(), 'badge-1')).toBe('necc');
    expect(await f.redis.zscore(f.keys.unconfirmed(), 'annul:scan-1')).toBe(String(annulledAtMs * 1024));

    // Again: the occupancy and time come back as the decision hash keeps them (strings, not numbers).
    expect(await annul({ scanId: 'scan-1', deviceId: DEVICE, windowMs: 60_000 })).toEqual({ ...first, kind: 'already' });
    await f.redis.hset(f.keys.decision('scan-1'), 'ac', '1');
    expect(await annul({ scanId: 'scan-1', deviceId: DEVICE, windowMs: 60_000 })).toMatchObject({ kind: 'already', committed: true });
  });

  it('answers the refusals by kind, with the decision where the script gives it', async () => {
    const decided = await f.decide('scan-2', 'badge-2');
    const rejected = await f.decide('scan-3', 'badge-3', { preReason: 'wrong_event' });
    expect(await annul({ scanId: 'scan-nowhere', deviceId: DEVICE, windowMs: 60_000 })).toEqual({ kind: 'not_found' });
    expect(await annul({ scanId: 'scan-2', deviceId: 'device-other', windowMs: 60_000 })).toEqual({ kind: 'other_device' });
    expect(await annul({ scanId: 'scan-3', deviceId: DEVICE, windowMs: 60_000 })).toEqual({ kind: 'rejected', decision: rejected });
    // Decided at least a millisecond ago on Redis's clock: a window of -1 ms has passed.
    expect(await annul({ scanId: 'scan-2', deviceId: DEVICE, windowMs: -1 })).toEqual({ kind: 'expired', decision: decided });
    // A later move of the badge (here written straight): its scan's move cannot be undone any more.
    await f.redis.hset(f.keys.location(), 'badge-2', 'necc');
    expect(await annul({ scanId: 'scan-2', deviceId: DEVICE, windowMs: 60_000 })).toEqual({ kind: 'moved', decision: decided });
  });
});

describe('a malformed annul answer', () => {
  it('is refused with an error naming what is wrong', async () => {
    // The script answers what the decision hash holds: an occupancy that is not a number is not read as NaN.
    await f.decide('scan-5', 'badge-5');
    await annul({ scanId: 'scan-5', deviceId: DEVICE, windowMs: 60_000 });
    await f.redis.hset(f.keys.decision('scan-5'), 'a', 'many');
    await expect(annul({ scanId: 'scan-5', deviceId: DEVICE, windowMs: 60_000 })).rejects.toThrow(
      /^annul\.lua's answer "already" is malformed: 2: .*expected number/,
    );

    expect(() => decodeAnnulReply(['maybe'])).toThrow(/annul\.lua answered an unknown outcome "maybe"/);
    expect(() => decodeAnnulReply(['rejected'])).toThrow(ScriptAnswerError);
    expect(() => decodeAnnulReply(['not_found', 'extra'])).toThrow(ScriptAnswerError);
    expect(() => decodeAnnulReply('annulled')).toThrow(/annul\.lua answered "annulled": expected a list/);
  });
});
