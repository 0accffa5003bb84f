import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLuaDir, ScriptRunner, type LuaScripts, type RedisClient } from '@expo/service-kit';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import { applyScans } from '../../src/consumers/scans.ts';
import { applySnapshot } from '../../src/consumers/snapshot.ts';
import type { ConsumerDeps } from '../../src/consumers/deps.ts';
import { scanFacts, type ScanEvent, type ScanFacts } from '../../src/domain/scan-facts.ts';
import { ExpoCalendar } from '../../src/domain/time.ts';
import { AnalyticsStore } from '../../src/store/analytics-store.ts';
import { analyticsKeys, analyticsPrefix } from '../../src/store/keys.ts';
import { expectedFootfall, expectedSummary } from '../fixtures/expected.ts';
import { DAY_ZONES, scriptedDay, toScanInputs, type ScriptedRecord } from '../fixtures/scripted-day.ts';

// Redis Cluster runs a script on the node of its first key and only checks that the keys it touches
// share a slot; a script that names keys of its own works as long as they carry the expo's hash
// tag, and breaks silently once they do not. Every script must instead receive each key it touches
// in KEYS. Redis has no switch that enforces this, so the scripts are checked twice: statically (no
// key built inside Lua) and at run time, under an ACL user allowed exactly the keys of each call.

const scripts = loadLuaDir(fileURLToPath(new URL('../../src/lua', import.meta.url)));

/** `s` split at its top-level commas (outside brackets and strings). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0 && !quote) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The expression of the key (first argument after the command) of every redis.call/pcall. */
function keyArguments(source: string): string[] {
  const keys: string[] = [];
  for (const match of source.matchAll(/redis\.p?call\(/g)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++) depth += source[i] === '(' ? 1 : source[i] === ')' ? -1 : 0;
    const args = splitTopLevel(source.slice(start, i - 1));
    if (args[1] !== undefined) keys.push(args[1]);
  }
  return keys;
}

/** Names assigned (as locals, globals or table fields) a value built by concatenation or taken from ARGV. */
function namesFromArgvOrConcatenation(source: string): Set<string> {
  const names = new Set<string>();
  const derived = (value: string) => value.includes('..') || value.includes('ARGV');
  for (const line of source.split('\n')) {
    const assignment = /^\s*(?:local\s+)?([\w.]+(?:\s*,\s*[\w.]+)*)\s*=(?!=)\s*(.+)$/.exec(line);
    if (assignment) {
      const values = splitTopLevel(assignment[2]!);
      assignment[1]!.split(',').forEach((name, i) => {
        if (derived(values[i] ?? '')) names.add(name.trim().split('.').pop()!);
      });
    }
    for (const table of line.matchAll(/\{([^{}]*)\}/g)) {
      for (const field of splitTopLevel(table[1]!)) {
        const named = /^(\w+)\s*=(?!=)\s*(.+)$/.exec(field);
        if (named && derived(named[2]!)) names.add(named[1]!);
      }
    }
  }
  return names;
}

describe('the analytics scripts, read', () => {
  it.each(Object.keys(scripts))('%s never builds a key name nor takes one from ARGV', (name) => {
    const source = scripts[name]!.replace(/--.*$/gm, '');
    const keys = keyArguments(source);
    expect(keys.length).toBeGreaterThan(0);
    const tainted = namesFromArgvOrConcatenation(source);
    for (const key of keys.filter((k) => !/^KEYS\[.*\]$/.test(k))) {
      expect(key, `${name}: redis.call on ${key}`).not.toMatch(/\.\.|ARGV|['"]/);
      for (const part of key.split(/[^\w]+/).filter(Boolean)) expect(tainted, `${name}: key ${key} comes from ARGV or a concatenation`).not.toContain(part);
    }
  });
});

const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');
const WHERE = 'scans:0';

/** A glob matching exactly `key` (ACL key patterns are globs). */
const exactly = (key: string) => `~${key.replace(/[*?[\]\\]/g, '\\$&')}`;

/** A script runner whose every call may touch only the keys it passes in KEYS (an ACL user's keys, set per call). */
class DeclaredKeysOnly extends ScriptRunner {
  constructor(
    restricted: RedisClient,
    source: LuaScripts,
    private readonly allow: (keys: readonly string[]) => Promise<void>,
  ) {
    super(restricted, source);
  }

  override async run<T = unknown>(name: string, keys: readonly string[], args: readonly (string | number)[] = []): Promise<T> {
    await this.allow(keys);
    return super.run<T>(name, keys, args);
  }
}

function scanEvents(expoId: string, records: readonly ScriptedRecord[], recordedAfterMs = 0): ScanEvent[] {
  return toScanInputs(expoId, records).map(
    (input) =>
      ({
        ...input,
        id: randomUUID(),
        schemaVersion: 1,
        source: 'badge-scanning',
        recordedAt: new Date(Date.parse(input.occurredAt!) + recordedAfterMs).toISOString(),
      }) as unknown as ScanEvent,
  );
}

describe('the analytics scripts, run with only their declared keys', () => {
  const names = testNames('declared-keys');
  const keys = analyticsKeys(names.expoId);
  const calendar = new ExpoCalendar('Asia/Shanghai');
  const policy = { graceMs: 3_600_000, closeDelayMs: 0 };
  const user = `declared-keys-${names.suffix}`;
  const password = randomBytes(16).toString('hex');
  let admin: RedisClient;
  let nodes: Redis[];
  let restricted: RedisClient;
  let runner: DeclaredKeysOnly;
  let deps: ConsumerDeps;
  let store: AnalyticsStore;
  let offset = 0;

  const acl = (...args: string[]) => Promise.all(nodes.map((node) => node.call('ACL', 'SETUSER', user, ...args)));
  const tuplesOf = (events: readonly ScanEvent[]): ScanFacts[] =>
    events.map((event) => scanFacts(event, { offset: String(offset++), key: event.data.badgeId }, calendar, policy));
  const applyInBatches = async (tuples: readonly ScanFacts[]) => {
    let applied = 0;
    for (let i = 0; i < tuples.length; i += 128) applied += await applyScans(deps, WHERE, tuples.slice(i, i + 128));
    return applied;
  };
  const records = scriptedDay(40, DAY_START);
  let dayTuples: ScanFacts[];

  beforeAll(async () => {
    admin = connectRedis();
    await admin.ping();
    // ACL users are per node; a cluster client may connect to any of them.
    nodes = admin instanceof Cluster ? admin.nodes('all') : [admin];
    await acl('reset', 'on', `>${password}`, 'resetchannels', '+@all');
    restricted =
      admin instanceof Cluster
        ? admin.duplicate([], { redisOptions: { ...admin.options.redisOptions, username: user, password } })
        : admin.duplicate({ username: user, password });
    runner = new DeclaredKeysOnly(restricted, { ...scripts, 'touches-undeclared': "return redis.call('HGET', ARGV[1], 'x')" }, (declared) =>
      acl('resetkeys', ...declared.map(exactly)).then(() => undefined),
    );
    deps = { scripts: runner, keys, calendar, policy, dedupeTtlSeconds: 3600 };
    store = new AnalyticsStore(admin, runner, keys, calendar);
    dayTuples = tuplesOf(scanEvents(names.expoId, records));
  });

  afterAll(async () => {
    restricted?.disconnect();
    await Promise.all((nodes ?? []).map((node) => node.call('ACL', 'DELUSER', user)));
    const left = await keysMatching(admin, `${analyticsPrefix(names.expoId)}*`);
    for (const key of left) await admin.unlink(key);
    admin.disconnect();
  });

  it('refuses a script that touches a key it did not declare (the check works)', async () => {
    await expect(runner.run('touches-undeclared', [keys.occupancy], [keys.day(DAY)])).rejects.toThrow(/can't access at least one of the keys/);
  });

  it('apply-snapshot: attendees, zones and badges, with and without attributes, once each', async () => {
    const context = (topic: string, key: string) => ({ topic, partition: 0, offset: String(offset++), key });
    await applySnapshot(
      deps,
      context('attendees', 'att-0'),
      { state: 'att-state', id: 'att-0', counters: { total: 1, 'category:buyer': 1 }, attributes: { hash: 'att', value: 'active|buyer|KE|agri' } },
      'registered',
    );
    await applySnapshot(
      deps,
      context('attendees', 'att-gone'),
      { state: 'att-state', id: 'att-gone', counters: {}, attributes: { hash: 'att', value: null } },
      'registered',
    );
    await applySnapshot(deps, context('badges', 'b-0'), { state: 'badge-att', id: 'att-0', counters: { badged: 1 } }, 'funnel');
    const zone = context('zones', 'hall-1');
    const info = { name: 'Hall 1', kind: 'hall', parentId: null, capacity: 400 };
    await applySnapshot(
      deps,
      zone,
      { state: 'zone-state', id: 'hall-1', counters: { zones: 1 }, attributes: { hash: 'zones', value: JSON.stringify(info) } },
      'totals',
    );
    // The same record again (a redelivery): skipped by its position.
    await applySnapshot(
      deps,
      zone,
      { state: 'zone-state', id: 'hall-1', counters: { zones: 1 }, attributes: { hash: 'zones', value: JSON.stringify(info) } },
      'totals',
    );
    const summary = await store.summary(null);
    expect(summary.registrationsByCategory.buyer).toBe(1);
    expect(summary.funnel).toMatchObject({ badgeIssued: 1 });
    expect((await store.zones()).get('hall-1')).toEqual(info);
    expect(await admin.hget(keys.totals, 'zones')).toBe('1');
  });

  it('apply-scans: a scripted day folds to its figures, and a redelivery applies nothing', async () => {
    expect(await applyInBatches(dayTuples)).toBe(dayTuples.length);
    const expected = expectedSummary(records);
    const summary = await store.summary(DAY);
    expect(summary.scans.accepted).toBe(expected.accepted);
    expect(summary.scans.rejected).toBe(expected.rejected);
    expect(summary.peakOccupancy).toEqual(expected.peaks);
    expect(summary.uniqueVisitors).toBe(expected.uniqueVisitors);
    expect(await applyScans(deps, WHERE, dayTuples.slice(0, 128))).toBe(0);
    expect((await store.summary(DAY)).scans.accepted).toBe(expected.accepted);
  });

  it("footfall: every zone's 1-minute and 1-hour buckets, with unique visitors", async () => {
    for (const zone of DAY_ZONES) {
      const minutes = await store.footfall(zone, '1m', DAY_START, DAY_START + 86_400_000);
      expect(minutes).toEqual(expectedFootfall(records, zone, 1));
      const hours = await store.footfall(zone, '1h', DAY_START, DAY_START + 86_400_000);
      const expected = expectedFootfall(records, zone, 60);
      expect(hours.map((b) => [b.start, b.in, b.out, b.peakOccupancy])).toEqual(expected.map((b) => [b.start, b.in, b.out, b.peakOccupancy]));
      // Unique visitors of an hour are the union of its minutes' HyperLogLogs: an estimate, within 2 % by design.
      hours.forEach((b, i) =>
        expect(Math.abs(b.uniqueVisitors - expected[i]!.uniqueVisitors)).toBeLessThanOrEqual(Math.ceil(expected[i]!.uniqueVisitors * 0.02)),
      );
    }
  });

  it('apply-scans: late within the grace period and beyond it', async () => {
    const at = DAY_START + 20 * 3_600_000;
    const visit: ScriptedRecord = {
      kind: 'accepted',
      at,
      badge: 'badge-late',
      zone: 'hall-late',
      direction: 'in',
      from: null,
      to: 'hall-late',
      origin: 'device',
      scanId: randomUUID(),
      occupancyAfter: 1,
    };
    const late = tuplesOf(scanEvents(names.expoId, [visit], 5 * 60_000));
    const tooLate = tuplesOf(scanEvents(names.expoId, [{ ...visit, scanId: randomUUID(), badge: 'badge-too-late' }], 2 * 3_600_000));
    expect(await applyScans(deps, WHERE, [...late, ...tooLate])).toBe(2);
    expect((await store.summary(DAY)).late).toBe(1);
    expect(await store.buckets('hall-late', '1m', at, at + 60_000)).toEqual([{ start: at, in: 1, out: 0, peakOccupancy: 1, late: 1, uniqueVisitors: 1 }]);
  });

  it('claim-closed: takes the closed buckets marked dirty once', async () => {
    const claimed = await runner.run<string[]>('claim-closed', [keys.dirty], [Date.now(), 100_000]);
    const zoneMinutes = new Set(records.filter((r) => r.kind !== 'rejected').map((r) => `${r.zone}|${Math.floor(r.at / 60_000) * 60_000}`));
    expect(new Set(claimed)).toEqual(new Set([...zoneMinutes, `hall-late|${DAY_START + 20 * 3_600_000}`]));
    expect(await runner.run<string[]>('claim-closed', [keys.dirty], [Date.now(), 100_000])).toEqual([]);
  });
});
