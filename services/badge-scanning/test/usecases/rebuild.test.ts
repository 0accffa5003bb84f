import { createKafka } from '@expo/bus';
import { kafkaBrokers, keysMatching, waitForReadiness } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanningKeys } from '../../src/store/keys.ts';
import { RegistryStore } from '../../src/store/registry-store.ts';
import { ScanStore } from '../../src/store/scan-store.ts';
import { ZoneStore } from '../../src/store/zone-store.ts';
import type { RebuildDeps } from '../../src/usecases/rebuild.ts';
import { reconcile } from '../../src/usecases/reconcile.ts';
import { admin, asDevice, defineVenue, ops, scanBody, setupScanning, type TestScanning } from '../helper.ts';

let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;
let deps: RebuildDeps;

beforeAll(async () => {
  t = await setupScanning('rebuild');
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-1', parentId: 'necc', capacity: 30 },
    { zoneId: 'hall-2', parentId: 'necc', antiPassback: 'strict' },
    { zoneId: 'pavilion-ke', parentId: 'hall-1', kind: 'pavilion' },
    { zoneId: 'forum-main', parentId: 'necc', kind: 'forum_room', capacity: 10 },
  ]);
  const keys = scanningKeys(t.names.expoId);
  deps = {
    redis: t.app.redis,
    keys,
    zones: new ZoneStore(t.app.redis, keys),
    registry: new RegistryStore(t.app.redis, t.app.redisScripts, keys),
    scans: new ScanStore(t.app.redis, t.app.redisScripts, keys, 3600),
    kafka: createKafka({ brokers: kafkaBrokers(), clientId: 'rebuild-test' }),
    topics: t.topics,
    expoId: t.names.expoId,
    memorySeconds: 3600,
  };
});
afterAll(async () => t.close());

const occupancy = async () =>
  (await t.app.inject({ url: '/v1/occupancy', headers: ops })).json<{ zones: Array<{ zoneId: string; occupancy: number }> }>().zones;

// A seeded walk of 40 visitors through the venue: entries, exits, doors without scanners (soft
// healing), strict refusals, full rooms, annulments and an offline batch.
async function mixedRun(): Promise<Array<{ zone: string; body: ReturnType<typeof scanBody>; answer: { decision: string; reason: string | null } }>> {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const badges = await t.issueBadges(40, { access: ['venue', 'hall', 'pavilion', 'forum_room'] });
  const zones = ['necc', 'hall-1', 'hall-2', 'pavilion-ke', 'forum-main'];
  const made: Array<{ zone: string; body: ReturnType<typeof scanBody>; answer: { decision: string; reason: string | null } }> = [];
  for (let step = 0; step < 400; step++) {
    const badge = badges[Math.floor(random() * badges.length)]!;
    const zone = zones[Math.floor(random() * zones.length)]!;
    const body = scanBody(
      badge,
      random() < 0.6 ? 'in' : 'out',
      `2024-11-06T${String(10 + Math.floor(step / 60)).padStart(2, '0')}:${String(step % 60).padStart(2, '0')}:00+08:00`,
    );
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices[zone]!), payload: body });
    expect(res.statusCode).toBe(200);
    made.push({ zone, body, answer: res.json() });
    if (step % 50 === 0 && res.json<{ decision: string }>().decision === 'accepted') {
      await t.app.inject({ method: 'POST', url: `/v1/scans/${body.scanId}/annul`, headers: asDevice(devices[zone]!) });
    }
  }
  const offline = badges.slice(0, 12).map((b, i) => scanBody(b, 'in', `2024-11-06T17:${String(i).padStart(2, '0')}:00+08:00`));
  expect(
    (await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(devices['forum-main']!), payload: { scans: offline } })).statusCode,
  ).toBe(200);
  return made;
}

describe('the scan log is the truth', () => {
  it('folds to exactly the live occupancy after a mixed run (reconcile drift 0), and a rebuild after flushing Redis restores it', async () => {
    const made = await mixedRun();
    const live = await occupancy();
    expect(live.some((z) => z.occupancy > 0)).toBe(true);

    const report = await reconcile(deps, false);
    expect(report.zones.filter((z) => z.drift !== 0)).toEqual([]);
    expect(report.misplacedBadges).toBe(0);

    const after = await occupancy();

    // Redis loses the expo: the service fences itself (never zeros), rebuilds from the log, serves.
    const all = await keysMatching(t.app.redis, `{${t.names.expoId}}:*`);
    expect(all.length).toBeGreaterThan(0);
    await t.app.redis.unlink(...all);
    await waitForReadiness(t.app, 503, 5000);
    expect((await t.app.inject({ url: '/v1/occupancy', headers: ops })).statusCode).toBe(503);
    await waitForReadiness(t.app, 200);
    expect((await t.app.inject('/metrics')).body).toMatch(/^state_rebuild_records\{[^}]*\} [4-9]\d\d$/m);
    expect(await occupancy()).toEqual(after);
    expect((await reconcile(deps, false)).zones.every((z) => z.drift === 0)).toBe(true);

    // Devices came back from the zone topic, and a retry still answers the first decision.
    const last = made.at(-1)!;
    const replay = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices[last.zone]!), payload: last.body });
    expect(replay.json()).toMatchObject({ ...last.answer, replayed: true });
    expect(await occupancy()).toEqual(after);
  });

  it('reconcile reports drift when Redis was changed behind the log, and repairs it from the log', async () => {
    const before = await occupancy();
    await t.app.redis.hincrby(deps.keys.occupancy(), 'hall-2', 5);
    const report = await reconcile(deps, true);
    expect(report.zones.find((z) => z.zoneId === 'hall-2')).toMatchObject({ drift: 5 });
    expect(report.repaired).toBe(true);
    expect(await occupancy()).toEqual(before);
  });

  it('the closing sweep walks everyone out, zone by zone, and the log still folds to the counts', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/sweep', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ swept: number }>().swept).toBeGreaterThan(0);
    expect((await occupancy()).map((z) => z.occupancy)).toEqual([0, 0, 0, 0, 0]);
    expect((await reconcile(deps, false)).zones.every((z) => z.drift === 0 && z.log === 0)).toBe(true);
  });
});
