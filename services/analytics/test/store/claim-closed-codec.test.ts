import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLuaDir, ScriptRunner, type RedisClient } from '@expo/service-kit';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import { applyScans } from '../../src/consumers/scans.ts';
import type { ScanFacts } from '../../src/domain/scan-facts.ts';
import { ExpoCalendar } from '../../src/domain/time.ts';
import { claimClosedCall, decodeClaimedBuckets, type ClaimClosedArgs } from '../../src/store/claim-closed-codec.ts';
import { analyticsKeys, analyticsPrefix } from '../../src/store/keys.ts';
import { ScriptAnswerError, ScriptArgumentsError } from '../../src/store/script-boundary.ts';
import { scanFactsBuilder } from './scan-facts-fixture.ts';

// claim-closed.lua by name: the dirty buckets apply-scans.lua marks come back as zone and minute
// start, once, within the limit and the closing time; its answer is refused when it is not that.

const names = testNames('claim-closed-codec');
const keys = analyticsKeys(names.expoId);
const calendar = new ExpoCalendar('Asia/Shanghai');
const t0 = Date.parse('2024-11-05T02:00:00Z');
const MIN = 60_000;
let redis: RedisClient;
let scripts: ScriptRunner;

const build = scanFactsBuilder(calendar, names.suffix, t0);
/** An on-time accepted entry of `badgeId` into `zoneId` at `eventMs`. */
const entry = (zoneId: string, eventMs: number, badgeId: string): ScanFacts => build({ zoneId, eventMs, badgeId });

const claim = async (args: ClaimClosedArgs, runner = scripts) => {
  const call = claimClosedCall(keys, args);
  return decodeClaimedBuckets(await runner.run('claim-closed', call.keys, call.args), args.limit);
};

beforeAll(async () => {
  redis = connectRedis();
  scripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../../src/lua', import.meta.url))));
  const deps = { scripts, keys, calendar, policy: { graceMs: 3_600_000, closeDelayMs: 0 }, dedupeTtlSeconds: 3600 };
  await applyScans(deps, 'scans:0', [
    entry('hall-1', t0 + 5_000, 'b-1'),
    entry('hall-1', t0 + 20_000, 'b-2'),
    entry('hall-2', t0 + MIN + 1_000, 'b-3'),
    entry('zone|odd', t0 + 2 * MIN, 'b-4'),
    entry('hall-1', t0 + 10 * MIN, 'b-5'),
  ]);
});

afterAll(async () => {
  const left = await keysMatching(redis, `${analyticsPrefix(names.expoId)}*`);
  for (const key of left) await redis.unlink(key);
  await redis.quit();
});

describe('claim-closed.lua through its codec', () => {
  it('lays the named fields out as the script reads them', () => {
    expect(claimClosedCall(keys, { closedBefore: t0, limit: 10 })).toEqual({ keys: [keys.dirty], args: [t0, 10] });
  });

  it('takes the closed buckets apply-scans marked, oldest first, within the limit, once', async () => {
    const closed = { closedBefore: t0 + 2 * MIN, limit: 2 };
    expect(await claim(closed)).toEqual([
      { zoneId: 'hall-1', start: t0, member: `hall-1|${t0}` },
      { zoneId: 'hall-2', start: t0 + MIN, member: `hall-2|${t0 + MIN}` },
    ]);
    // The zone id is what precedes the last '|'.
    const odd = await claim({ ...closed, limit: 10 });
    expect(odd).toEqual([{ zoneId: 'zone|odd', start: t0 + 2 * MIN, member: `zone|odd|${t0 + 2 * MIN}` }]);
    expect(await claim({ ...closed, limit: 10 })).toEqual([]);

    // A bucket marked again by its member (as the publisher does when it cannot publish) is taken again.
    await redis.zadd(keys.dirty, ...odd.flatMap(({ start, member }) => [start, member]));
    expect(await claim({ ...closed, limit: 10 })).toEqual(odd);

    // The open bucket stays until it closes.
    expect(await claim({ closedBefore: t0 + 10 * MIN, limit: 10 })).toEqual([{ zoneId: 'hall-1', start: t0 + 10 * MIN, member: `hall-1|${t0 + 10 * MIN}` }]);
  });
});

describe('a malformed claim-closed answer or argument', () => {
  it('is refused when the script answers anything but at most `limit` dirty buckets', async () => {
    const answering = (answer: string) => new ScriptRunner(redis, { 'claim-closed': `return ${answer}` });
    const args = { closedBefore: t0, limit: 2 };
    await expect(claim(args, answering("'OK'"))).rejects.toThrow(
      new ScriptAnswerError('claim-closed answered a string: expected a list of at most 2 dirty buckets'),
    );
    await expect(claim(args, answering("{'a|1', 'b|2', 'c|3'}"))).rejects.toThrow(/^claim-closed answered a list of 3 entries: expected a list of at most 2/);
    await expect(claim(args, answering("{'hall-1|60000', 'hall-1'}"))).rejects.toThrow(
      new ScriptAnswerError('claim-closed answered "hall-1" as bucket 2: expected "zone|minute start"'),
    );
    await expect(claim(args, answering("{'|60000'}"))).rejects.toThrow(/answered "\|60000" as bucket 1/);
    await expect(claim(args, answering("{'hall-1|1.5e3'}"))).rejects.toThrow(/answered "hall-1\|1.5e3" as bucket 1/);
    await expect(claim(args, answering('{60000}'))).rejects.toThrow(/^claim-closed answered 60000 as bucket 1/);
    expect(decodeClaimedBuckets([], 0)).toEqual([]);
  });

  it('refuses a limit that is not a count, before the script runs', () => {
    expect(() => claimClosedCall(keys, { closedBefore: t0, limit: -1 })).toThrow(ScriptArgumentsError);
    expect(() => claimClosedCall(keys, { closedBefore: t0, limit: 1.5 })).toThrow(/^claim-closed: limit 1.5 is not a count$/);
    expect(() => claimClosedCall(keys, { closedBefore: Number.NaN, limit: 1 })).toThrow(/^claim-closed: closedBefore NaN is not a time$/);
  });
});
