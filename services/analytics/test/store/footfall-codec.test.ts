import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLuaDir, ScriptRunner, type RedisClient } from '@expo/service-kit';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import { applyScans } from '../../src/consumers/scans.ts';
import type { ScanFacts } from '../../src/domain/scan-facts.ts';
import { ExpoCalendar } from '../../src/domain/time.ts';
import { decodeFootfallRows, footfallCall, type FootfallArgs } from '../../src/store/footfall-codec.ts';
import { analyticsKeys, analyticsPrefix } from '../../src/store/keys.ts';
import { ScriptAnswerError, ScriptArgumentsError } from '../../src/store/script-boundary.ts';
import { scanFactsBuilder } from './scan-facts-fixture.ts';

// footfall.lua by name: a zone's days and range in, its buckets out, each figure in its field; an
// answer that is not whole ascending buckets is refused.

const names = testNames('footfall-codec');
const keys = analyticsKeys(names.expoId);
const calendar = new ExpoCalendar('Asia/Shanghai');
const MIN = 60_000;
const HOUR = 60 * MIN;
// 23:58 in Shanghai on 5 November: the minutes on either side of midnight sit in two day hashes.
const t0 = Date.parse('2024-11-05T15:58:00Z');
let redis: RedisClient;
let scripts: ScriptRunner;

const build = scanFactsBuilder(calendar, names.suffix, t0);
/** A device entry of `badgeId` into hall-1 at `eventMs`, changed by `fields`. */
const scan = (eventMs: number, badgeId: string, fields: Partial<ScanFacts> = {}): ScanFacts => build({ eventMs, badgeId, ...fields });

/** The zone's buckets of `size` in [from, to), as the store asks for them. */
const footfall = async (from: number, to: number, size: number, runner = scripts) => {
  const first = Math.floor(from / size) * size;
  const args: FootfallArgs = { zoneId: 'hall-1', days: calendar.daysBetween(first, to), first, to, size };
  const call = footfallCall(keys, args);
  return decodeFootfallRows(await runner.run('footfall', call.keys, call.args), args);
};

beforeAll(async () => {
  redis = connectRedis();
  scripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../../src/lua', import.meta.url))));
  const deps = { scripts, keys, calendar, policy: { graceMs: 3_600_000, closeDelayMs: 0 }, dedupeTtlSeconds: 3600 };
  await applyScans(deps, 'scans:0', [
    scan(t0 + 1_000, 'b-1'),
    scan(t0 + 2_000, 'b-2', { occupancyAfter: 2 }),
    scan(t0 + MIN + 1_000, 'b-4', { occupancyAfter: 3 }),
    scan(t0 + 3 * MIN, 'b-1', { zoneEntered: null, zoneLeft: 'hall-1', occupancyAfter: 1 }),
    scan(t0 + 3 * MIN + 5_000, 'b-3', { occupancyAfter: 2, lateness: 1 }),
  ]);
});

afterAll(async () => {
  const left = await keysMatching(redis, `${analyticsPrefix(names.expoId)}*`);
  for (const key of left) await redis.unlink(key);
  await redis.quit();
});

describe('footfall.lua through its codec', () => {
  it("lays the named fields out as the script reads them: one key per day's minute hash", () => {
    expect(footfallCall(keys, { zoneId: 'hall-1', days: ['2024-11-05', '2024-11-06'], first: t0, to: t0 + HOUR, size: MIN })).toEqual({
      keys: [keys.bucketHash('hall-1', '1m', '2024-11-05'), keys.bucketHash('hall-1', '1m', '2024-11-06')],
      args: [t0, t0 + HOUR, MIN],
    });
  });

  it('answers each bucket across midnight with its figures by name, rolled up to any size', async () => {
    expect(await footfall(t0, t0 + 10 * MIN, MIN)).toEqual([
      { start: t0, in: 2, out: 0, peakOccupancy: 2, late: 0 },
      { start: t0 + MIN, in: 1, out: 0, peakOccupancy: 3, late: 0 },
      { start: t0 + 3 * MIN, in: 1, out: 1, peakOccupancy: 2, late: 1 },
    ]);
    // 5-minute buckets aligned to the epoch: 15:55 sums its minutes (maximum peak), 16:00 is the next day's.
    expect(await footfall(t0, t0 + 10 * MIN, 5 * MIN)).toEqual([
      { start: t0 - 3 * MIN, in: 3, out: 0, peakOccupancy: 3, late: 0 },
      { start: t0 + 2 * MIN, in: 1, out: 1, peakOccupancy: 2, late: 1 },
    ]);
    // `to` is exclusive, and a range with no figures answers no buckets.
    expect(await footfall(t0, t0 + MIN, MIN)).toEqual([{ start: t0, in: 2, out: 0, peakOccupancy: 2, late: 0 }]);
    expect(await footfall(t0 + HOUR, t0 + 2 * HOUR, MIN)).toEqual([]);
  });
});

describe('a malformed footfall answer or argument', () => {
  it('is refused when the script answers anything but whole ascending buckets', async () => {
    const answering = (answer: string) => new ScriptRunner(redis, { footfall: `return ${answer}` });
    const range = [t0, t0 + 10 * MIN, MIN] as const;
    await expect(footfall(...range, answering("'OK'"))).rejects.toThrow(
      new ScriptAnswerError('footfall answered a string: expected 5 integers (start, in, out, peak, late) per bucket'),
    );
    await expect(footfall(...range, answering('{1, 2, 3}'))).rejects.toThrow(
      /^footfall answered a list of 3 entries \(not all integers, or not whole buckets\)/,
    );
    await expect(footfall(...range, answering(`{'${t0}', '1', '0', '1', '0'}`))).rejects.toThrow(/^footfall answered a list of 5 entries/);
    await expect(footfall(...range, answering(`{${t0 + MIN}, 1, 0, 1, 0, ${t0}, 1, 0, 1, 0}`))).rejects.toThrow(
      new ScriptAnswerError(`footfall answered bucket 2 starting at ${t0}: expected ascending starts, multiples of ${MIN} before ${t0 + 10 * MIN}`),
    );
    await expect(footfall(...range, answering(`{${t0 + 1}, 1, 0, 1, 0}`))).rejects.toThrow(/^footfall answered bucket 1 starting at/);
    await expect(footfall(...range, answering(`{${t0 + 10 * MIN}, 1, 0, 1, 0}`))).rejects.toThrow(/^footfall answered bucket 1 starting at/);
  });

  it('refuses a size or range not in whole ms, before the script runs', () => {
    const args = { zoneId: 'hall-1', days: ['2024-11-05'], first: t0, to: t0 + HOUR, size: MIN };
    expect(() => footfallCall(keys, { ...args, size: 0 })).toThrow(ScriptArgumentsError);
    expect(() => footfallCall(keys, { ...args, to: Number.NaN })).toThrow(/^footfall: range \[\d+, NaN\) is not in whole ms$/);
  });
});
