import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLuaDir, ScriptRunner, type RedisClient } from '@expo/service-kit';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import { applyScans } from '../../src/consumers/scans.ts';
import type { ConsumerDeps } from '../../src/consumers/deps.ts';
import { dedupeHourOf, type ScanFacts } from '../../src/domain/scan-facts.ts';
import { ExpoCalendar } from '../../src/domain/time.ts';
import { AnalyticsStore } from '../../src/store/analytics-store.ts';
import { decodeApplyScansArgs, decodeAppliedCount } from '../../src/store/apply-scans-codec.ts';
import { ScriptAnswerError, ScriptArgumentsError } from '../../src/store/script-boundary.ts';
import { applyScansCall } from '../../src/store/apply-scans-call.ts';
import { analyticsKeys, analyticsPrefix } from '../../src/store/keys.ts';
import { scanFactsBuilder } from './scan-facts-fixture.ts';

// apply-scans.lua's arguments by name: what the codec lays out is what the script reads, slot by
// slot (each named field below lands in the figure it feeds), and its answer is read back or refused.

const names = testNames('apply-scans-codec');
const keys = analyticsKeys(names.expoId);
const calendar = new ExpoCalendar('Asia/Shanghai');
const WHERE = 'scans:0';
const DAY = '2024-11-05';
const t0 = Date.parse('2024-11-05T02:00:00Z'); // 10:00 in Shanghai, a minute's start
const MIN = 60_000;
let redis: RedisClient;
let scripts: ScriptRunner;
let deps: ConsumerDeps;
let store: AnalyticsStore;

/** An on-time device entry into hall-1, changed by `fields`; offsets follow the order built. */
const scan = scanFactsBuilder(calendar, names.suffix, t0);

const batch: ScanFacts[] = [
  scan({ eventMs: t0 + 5_000, attendeeId: 'att-1', gateId: 'g-1', category: 'buyer', country: 'KE' }),
  scan({ eventMs: t0 + 3 * MIN + 5_000, zoneEntered: null, zoneLeft: 'hall-1', occupancyAfter: 0, attendeeId: 'att-1', gateId: 'g-1' }),
  scan({ kind: 'rejected', eventMs: t0 + 10_000, badgeId: 'b-2', attendeeId: 'att-2', gateId: 'g-2', reason: 'capacity_full', zoneEntered: 'hall-1' }),
  scan({ eventMs: t0 + 20_000, badgeId: 'b-3', gateId: 'g-1', unverified: true }),
  scan({ kind: 'annulled', eventMs: t0 + 30_000, badgeId: 'b-3', occupancyAfter: 0 }),
  scan({ eventMs: t0 + 40_000, badgeId: 'b-4', attendeeId: 'att-4', gateId: 'g-3', zoneId: 'hall-2', zoneEntered: 'hall-2', lateness: 2 }),
  scan({
    eventMs: t0 + 50_000,
    badgeId: 'b-5',
    attendeeId: 'att-5',
    gateId: 'g-3',
    zoneId: 'hall-2',
    zoneEntered: 'hall-2',
    occupancyAfter: 2,
    lateness: 1,
    category: 'media',
    country: 'CN',
  }),
  scan({ eventMs: t0 + 55_000, badgeId: 'b-6', attendeeId: 'att-6', zoneId: 'necc', zoneEntered: 'necc', origin: 'inferred' }),
];

beforeAll(async () => {
  redis = connectRedis();
  scripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../../src/lua', import.meta.url))));
  deps = { scripts, keys, calendar, policy: { graceMs: 3_600_000, closeDelayMs: 0 }, dedupeTtlSeconds: 3600 };
  store = new AnalyticsStore(redis, scripts, keys, calendar);
});

afterAll(async () => {
  const left = await keysMatching(redis, `${analyticsPrefix(names.expoId)}*`);
  for (const key of left) await redis.unlink(key);
  await redis.quit();
});

describe('apply-scans.lua through its codec', () => {
  it('lays a batch out as ARGV and reads it back by name, as Redis passes it (strings)', () => {
    const call = applyScansCall(keys, WHERE, batch, 3600);
    const back = decodeApplyScansArgs(call.args.map(String));
    expect(back).toEqual({ dedupeTtlSeconds: 3600, where: WHERE, scans: batch, refs: expect.any(Array) });
    // Each scan's refs point at its own keys in KEYS.
    back.refs.forEach(([day, zoneDay, minute, hour], i) => {
      const s = batch[i]!;
      expect([call.keys[day - 1], call.keys[zoneDay - 1], call.keys[minute - 1], call.keys[hour - 1]]).toEqual([
        keys.day(s.day),
        keys.bucketHash(s.zoneId, '1m', s.day),
        keys.bucketHll(s.zoneId, '1m', s.minuteStart),
        keys.seen(dedupeHourOf(s.eventMs)),
      ]);
    });
  });

  it('applies every named field where its figures show it', async () => {
    expect(await applyScans(deps, WHERE, batch)).toBe(batch.length);

    const summary = await store.summary(DAY);
    // Device entries and exits, less the annulled one (the inferred entry is not a scan).
    expect(summary.scans).toMatchObject({ accepted: 4, rejected: 1, rejectedByReason: expect.objectContaining({ capacity_full: 1 }) });
    expect(summary.uniqueVisitors).toBe(3); // att-1, att-5, att-6: not the unverified badge, nor the one too late
    expect(summary.late).toBe(1);
    expect(summary.visitorMix).toEqual({
      'unknown-badge': 3,
      'category:buyer': 1,
      'category:media': 1,
      'category:unknown': 1,
      'country:KE': 1,
      'country:CN': 1,
      'country:unknown': 1,
      'sector:unknown': 3,
    });
    expect(summary.peakOccupancy).toEqual([
      { zoneId: 'hall-1', peakOccupancy: 1, at: new Date(t0 + 5_000).toISOString() },
      { zoneId: 'hall-2', peakOccupancy: 2, at: new Date(t0 + 50_000).toISOString() },
      { zoneId: 'necc', peakOccupancy: 1, at: new Date(t0 + 55_000).toISOString() },
    ]);

    expect(await store.buckets('hall-1', '1m', t0, t0 + 10 * MIN)).toEqual([
      { start: t0, in: 1, out: 0, peakOccupancy: 1, late: 0, uniqueVisitors: 1 },
      { start: t0 + 3 * MIN, in: 0, out: 1, peakOccupancy: 0, late: 0, uniqueVisitors: 0 },
    ]);
    expect(await store.buckets('hall-2', '1m', t0, t0 + 10 * MIN)).toEqual([{ start: t0, in: 1, out: 0, peakOccupancy: 2, late: 1, uniqueVisitors: 1 }]);
    expect(await store.dwell('hall-1', DAY)).toMatchObject({ visits: 1, medianMinutes: 3 });
    expect(await store.throughput(t0 + 4 * MIN, 5)).toEqual({
      minutes: [t0, t0 + MIN, t0 + 2 * MIN, t0 + 3 * MIN, t0 + 4 * MIN],
      total: [5, 0, 0, 1, 0],
      byGate: { 'g-1': [2, 0, 0, 1, 0], 'g-2': [1, 0, 0, 0, 0], 'g-3': [2, 0, 0, 0, 0] },
    });
    expect((await store.live()).map((z) => [z.zoneId, z.occupancy])).toEqual([
      ['hall-1', 0],
      ['hall-2', 2],
      ['necc', 1],
    ]);
    expect(await store.days()).toEqual([DAY]);
    // Each record key's last applied offset: the log position a redelivery is skipped at.
    expect(await redis.hgetall(keys.positions(WHERE))).toEqual({ 'b-1': '1', 'b-2': '2', 'b-3': '4', 'b-4': '5', 'b-5': '6', 'b-6': '7' });
  });

  it('skips a redelivery by its offset and a record written twice by its envelope id', async () => {
    expect(await applyScans(deps, WHERE, batch)).toBe(0);
    const resent = batch.map((s, i) => ({ ...s, offset: 100 + i }));
    expect(await applyScans(deps, WHERE, resent)).toBe(0);
    expect((await store.summary(DAY)).scans.accepted).toBe(4);
  });
});

describe('a malformed answer or argument list', () => {
  it('is refused when the script answers anything but how many it applied', async () => {
    const answering = (answer: string) => ({ ...deps, scripts: new ScriptRunner(redis, { 'apply-scans': `return ${answer}` }) }) satisfies ConsumerDeps;
    const one = batch.slice(0, 1);
    await expect(applyScans(answering("'OK'"), WHERE, one)).rejects.toThrow(
      new ScriptAnswerError('apply-scans answered a string: expected how many of its 1 scans it applied (0 to 1)'),
    );
    await expect(applyScans(answering('2'), WHERE, one)).rejects.toThrow(/^apply-scans answered 2: expected how many of its 1 scans/);
    await expect(applyScans(answering('{1}'), WHERE, one)).rejects.toThrow(/^apply-scans answered a list of 1 entries/);
    expect(decodeAppliedCount(1, 1)).toBe(1);
  });

  it('is refused, naming the slot, when ARGV does not describe scans', () => {
    const args = applyScansCall(keys, WHERE, batch.slice(0, 2), 3600).args.map(String);
    const scans = JSON.parse(args[2]!) as unknown[][];
    scans[1]![0] = 'x';
    scans[1]![11] = 3;
    expect(() => decodeApplyScansArgs([args[0], args[1], JSON.stringify(scans), args[3]])).toThrow(ScriptArgumentsError);
    expect(() => decodeApplyScansArgs([args[0], args[1], JSON.stringify(scans), args[3]])).toThrow(/^apply-scans ARGV is malformed: 2\.1\.0: .*; 2\.1\.11: /);
    expect(() => decodeApplyScansArgs([args[0], args[1], '[[', args[3]])).toThrow(/^apply-scans ARGV is malformed: 2: not JSON$/);
    expect(() => decodeApplyScansArgs([args[0], args[1], args[2], '[]'])).toThrow(/2 scans but 0 refs/);
  });
});
