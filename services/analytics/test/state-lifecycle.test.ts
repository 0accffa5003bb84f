import { DedicatedRedis, crashTheRebuilder, failOverToOlderCopy, flushAll, redisUrl, waitForReadiness } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY_ZONES, DAY_CAPACITY, scriptedDay, toScanInputs } from './fixtures/scripted-day.ts';
import { ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from './helper.ts';

// Every analytics figure is the fold of the topics: whatever happens to Redis, both instances
// answer 503 (never zeros) until the topics are folded again, and then exactly what a fresh
// instance folding them from the start computes.
const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');

let redis: DedicatedRedis;
beforeAll(async () => {
  redis = await DedicatedRedis.start();
}, 60_000);
afterAll(() => redis.close());

const closers: Array<() => Promise<void>> = [];
afterEach(async () => void (await Promise.all(closers.splice(0).map((c) => c()))));

interface Seeded {
  readonly t: TestAnalytics;
  readonly one: ServiceApp;
  readonly two: ServiceApp;
}

async function seeded(label: string): Promise<Seeded> {
  const t = await setupAnalytics(label, { REDIS_URL: redis.url, LATE_GRACE_MS: String(10 * 365 * 86_400_000) });
  closers.push(() => t.close());
  await t.producer.send(
    t.topics.zones,
    DAY_ZONES.map((z) => zoneDefined(t.names.expoId, z, DAY_CAPACITY[z]!)),
  );
  await t.producer.send(t.topics.scans, toScanInputs(t.names.expoId, scriptedDay(120, DAY_START, 5)));
  const [one, two] = [await t.instance(), await t.instance()];
  await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
  await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, t.topics.zones.name);
  return { t, one, two };
}

const figures = async (app: ServiceApp) => ({
  summary: (await app.inject({ url: `/v1/summary?date=${DAY}`, headers: ops })).json<unknown>(),
  live: (await app.inject({ url: '/v1/live', headers: ops })).json<{ zones: unknown }>().zones,
  footfall: (await app.inject({ url: `/v1/footfall?zoneId=hall-1&bucket=1h&from=2024-11-04T16:00:00Z&to=2024-11-05T16:00:00Z`, headers: ops })).json<unknown>(),
});

/** What an analytics instance that never saw the fault computes from the same topics. */
async function freshFold(s: Seeded): Promise<Awaited<ReturnType<typeof figures>>> {
  const fresh = await setupAnalytics(
    'fresh',
    { REDIS_URL: redisUrl(), LATE_GRACE_MS: String(10 * 365 * 86_400_000) },
    { names: { ...s.t.names, groupId: `${s.t.names.groupId}-fresh` }, topics: s.t.topics },
  );
  closers.push(() => fresh.close());
  const app = await fresh.instance({ CONSUMER_GROUP: `${s.t.names.groupId}-fresh` });
  await waitForConsumed(`${s.t.names.groupId}-fresh.scans`, s.t.topics.scans.name);
  await waitForConsumed(`${s.t.names.groupId}-fresh.reference`, s.t.topics.zones.name);
  return figures(app);
}

async function expectFenced(s: Seeded): Promise<void> {
  for (const app of [s.one, s.two]) {
    expect(await waitForReadiness(app, 503, 5000)).toBeLessThan(5000);
    const res = await app.inject({ url: `/v1/summary?date=${DAY}`, headers: ops });
    if (res.statusCode === 200) continue; // already folded again
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
  }
}

async function expectHealed(s: Seeded, before: unknown): Promise<void> {
  for (const app of [s.one, s.two]) {
    await waitForReadiness(app, 200, 60_000);
    expect(await figures(app)).toEqual(before);
  }
  expect(await figures(s.one)).toEqual(await freshFold(s));
}

describe('analytics state lifecycle', () => {
  it('FLUSHALL: fenced within 5 s (never zeros), folded again, equal to before and to a fresh fold', async () => {
    const s = await seeded('an-state-flush');
    const before = await figures(s.one);
    expect(JSON.stringify(before.summary)).toMatch(/[1-9]/);
    await flushAll(redis);
    expect((await s.two.inject({ url: `/v1/summary?date=${DAY}`, headers: ops })).statusCode).toBe(503);
    await expectFenced(s);
    await expectHealed(s, before);
  }, 120_000);

  it('Redis restarted empty on the same port: the same', async () => {
    const s = await seeded('an-state-restart');
    const before = await figures(s.one);
    await redis.restart();
    await expectFenced(s);
    await expectHealed(s, before);
  }, 120_000);

  it('failover to a copy that missed records: detected as stale, folded again equal to a fresh fold', async () => {
    const s = await seeded('an-state-stale');
    await failOverToOlderCopy(redis, async () => {
      await s.t.producer.send(s.t.topics.scans, toScanInputs(s.t.names.expoId, scriptedDay(30, DAY_START, 11)));
      await waitForConsumed(`${s.t.config.CONSUMER_GROUP}.scans`, s.t.topics.scans.name);
    });
    await expectFenced(s);
    await waitForReadiness(s.one, 200, 60_000);
    await waitForReadiness(s.two, 200, 60_000);
    const fresh = await freshFold(s);
    expect(await figures(s.one)).toEqual(fresh);
    expect(await figures(s.two)).toEqual(fresh);
  }, 120_000);

  it('the instance holding the rebuild lease dies mid-refold: the other takes over and finishes', async () => {
    const s = await seeded('an-state-takeover');
    const before = await figures(s.one);
    await flushAll(redis);
    const survivor = await crashTheRebuilder([s.one, s.two]);
    await waitForReadiness(survivor, 200, 60_000);
    expect(await figures(survivor)).toEqual(before);
  }, 120_000);
});
