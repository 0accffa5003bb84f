import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '@expo/bus';
import { connectRedis, kafkaBrokers, redisUrl, testNames } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { analyticsKeys } from '../../src/store/keys.ts';
import { DAY_CAPACITY, DAY_ZONES, scriptedDay, toScanInputs } from '../fixtures/scripted-day.ts';
import { ADMIN_TOKEN, createAnalyticsTopics, ops, OPS_TOKEN, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../helper.ts';

const DAY = '2024-11-06';
const DAY_START = Date.parse('2024-11-05T16:00:00Z');
const GRACE = String(10 * 365 * 24 * 3600 * 1000);
const serviceDir = fileURLToPath(new URL('../..', import.meta.url));

/** Every figure a user can read for the day, to compare two runs. */
async function figures(app: ServiceApp) {
  const get = async (url: string) => (await app.inject({ url, headers: ops })).json<unknown>();
  const range = `from=${encodeURIComponent(new Date(DAY_START).toISOString())}&to=${encodeURIComponent(new Date(DAY_START + 86_400_000).toISOString())}`;
  const perZone = await Promise.all(
    DAY_ZONES.map(async (z) => ({
      minute: await get(`/v1/footfall?zoneId=${z}&bucket=1m&${range}`),
      hour: await get(`/v1/footfall?zoneId=${z}&bucket=1h&${range}`),
      dwell: await get(`/v1/dwell?zoneId=${z}&date=${DAY}`),
    })),
  );
  // Live zones only: the throughput part of /v1/live is relative to the clock.
  const live = (await get('/v1/live')) as { zones: unknown };
  return { summary: await get(`/v1/summary?date=${DAY}`), zones: live.zones, perZone };
}

describe('a consumer killed mid-stream', () => {
  const names = testNames('restart');
  let uninterrupted: TestAnalytics;
  let restarted: TestAnalytics;
  const redis = connectRedis();
  afterAll(async () => {
    await Promise.all([uninterrupted?.close(), restarted?.close()]);
    redis.disconnect();
  });

  beforeAll(async () => {
    const topics = await createAnalyticsTopics(names, 4);
    // Two deployments of analytics (own expo keys and groups) read the same topics, each folding
    // the same day written under its own expo id (another expo's records are skipped).
    uninterrupted = await setupAnalytics(
      'restart-a',
      { LATE_GRACE_MS: GRACE, EXPO_ID: `${names.expoId}-a`, CONSUMER_GROUP: `${names.groupId}-a` },
      { names, topics },
    );
    restarted = await setupAnalytics(
      'restart-b',
      { LATE_GRACE_MS: GRACE, EXPO_ID: `${names.expoId}-b`, CONSUMER_GROUP: `${names.groupId}-b` },
      { names, topics },
    );
    const records = scriptedDay(8000, DAY_START, 11);
    for (const expoId of [`${names.expoId}-a`, `${names.expoId}-b`]) {
      await uninterrupted.producer.send(topics.zones, [
        zoneDefined(expoId, 'site', null, null),
        ...DAY_ZONES.map((z) => zoneDefined(expoId, z, DAY_CAPACITY[z]!)),
      ]);
      for (let i = 0; i < records.length; i += 5000) await uninterrupted.producer.send(topics.scans, toScanInputs(expoId, records.slice(i, i + 5000)));
    }
  });

  it('gives the same figures after a restart as an uninterrupted run', async () => {
    const env = {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers(),
      REDIS_URL: redisUrl(),
      ADMIN_TOKENS: ADMIN_TOKEN,
      OPS_TOKENS: OPS_TOKEN,
      LOG_LEVEL: 'warn',
      EXPO_ID: `${names.expoId}-b`,
      CONSUMER_GROUP: `${names.groupId}-b`,
      LATE_GRACE_MS: GRACE,
      CONSUMER_CONCURRENCY: '16',
      TOPIC_PREFIX: names.topicPrefix,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/run-app.ts'], { cwd: serviceDir, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const dayKey = analyticsKeys(`${names.expoId}-b`).day(DAY);
    await expect
      .poll(async () => Number((await redis.hget(dayKey, 'accepted')) ?? 0), { timeout: 60_000, interval: 10, message: 'the child never applied 500 scans' })
      .toBeGreaterThanOrEqual(500);
    child.kill('SIGKILL');
    await exited;

    // It died mid-stream: the group has not committed the whole topic.
    const admin = createKafka({ brokers: kafkaBrokers(), clientId: 'restart-test' }).admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(restarted.topics.scans.name);
    const [committed] = await admin.fetchOffsets({ groupId: `${names.groupId}-b.scans`, topics: [restarted.topics.scans.name] });
    await admin.disconnect();
    const total = ends.reduce((s, e) => s + Number(e.high), 0);
    const done = committed!.partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
    expect(done).toBeLessThan(total);

    const a = await uninterrupted.instance();
    const b = await restarted.instance();
    await waitForConsumed(`${names.groupId}-a.scans`, restarted.topics.scans.name, 120_000);
    await waitForConsumed(`${names.groupId}-b.scans`, restarted.topics.scans.name, 120_000);
    await waitForConsumed(`${names.groupId}-a.reference`, restarted.topics.zones.name);
    await waitForConsumed(`${names.groupId}-b.reference`, restarted.topics.zones.name);
    const [fa, fb] = [await figures(a), await figures(b)];
    expect((fa.summary as { scans: { accepted: number } }).scans.accepted).toBeGreaterThan(10_000);
    expect(fb).toEqual(fa);
  }, 240_000);
});
