import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, createKafka, type TopicEventInput } from '@expo/bus';
import { discoverServices, freePort, logTail, startServices, stopServices, waitForReady, type RunningService } from '@expo/infra';
import type { SummaryResponse, TOPICS } from '@expo/schemas';
import { createPlatformTopics, kafkaBrokers, redisUrl, STATE_TEST_ENV, testNames, type TestNames } from '@expo/testkit';
import { compareAnalytics, waitForAnalyticsEqual, type AnalyticsCompareOptions } from '../../src/checkers/analytics-equal.ts';

// Two analytics services as processes of their own (their `start` script; a package never imports
// a service), the same expo on two copies of the topics holding the same records: "live" on its
// copy in the shared Redis, "fresh" on the other in a Redis database of its own, started after the
// records were written so it folds them from the start. A record written to the live copy only is
// what the fresh fold has not seen.
const OPS_TOKEN = 'chaos-analytics-equal-ops-0123456789';
const TOPIC_IDS = ['scans', 'zones', 'attendees', 'badges', 'exhibitors', 'meetings', 'footfall'] as const;
// 2024-11-05 in Shanghai (the service's default time zone) starts at 2024-11-04T16:00Z.
const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');
const ZONES = ['hall-1', 'hall-2'] as const;
const MIN = 60_000;

const live = testNames('analytics-equal');
const mirror = testNames('analytics-equal-fresh');
const expoId = live.expoId;

type Topics = Awaited<ReturnType<typeof createPlatformTopics<typeof TOPIC_IDS>>>;
type ScanInput = TopicEventInput<typeof TOPICS.scans>;
type ZoneInput = TopicEventInput<typeof TOPICS.zones>;

const producer = new BusProducer(createKafka({ brokers: kafkaBrokers(), clientId: 'chaos-analytics-equal' }), {
  source: 'badge-scanning',
  sendTimeoutMs: 30_000,
});
const services: RunningService[] = [];
const urls = { live: '', fresh: '' };
let liveTopics: Topics;
let freshTopics: Topics;

function zoneDefined(zoneId: string, parentId: string | null): ZoneInput {
  return {
    type: 'zone.defined',
    eventId: expoId,
    data: {
      zoneId,
      name: zoneId,
      kind: parentId === null ? 'venue' : 'hall',
      parentId,
      capacity: parentId === null ? null : 100,
      antiPassback: 'soft',
      gates: [{ gateId: `${zoneId}-gate` }],
      changed: ['zoneId'],
    },
  };
}

/** Badge `n` enters `zone` at `at`, as badge-scanning records an accepted device scan. */
function entry(n: number, zone: string, at: number, occupancyAfter: number): ScanInput {
  const scannedAt = new Date(at).toISOString();
  return {
    type: 'scan.accepted',
    eventId: expoId,
    occurredAt: scannedAt,
    data: {
      scanId: `scan-${n}`,
      badgeId: `badge-${n}`,
      attendeeId: `att-${n}`,
      zoneId: zone,
      fromZoneId: null,
      toZoneId: zone,
      direction: 'in',
      deviceId: `dev-${zone}`,
      gateId: `${zone}-gate`,
      category: 'buyer',
      country: 'KE',
      scannedAt,
      flags: { inferred: false, offline: false },
      origin: 'device',
      occupancyAfter,
      decision: 'accepted',
      reason: null,
    },
  };
}

const FIRST_SCANS = [
  entry(1, 'hall-1', DAY_START + 10 * 60 * MIN, 1),
  entry(2, 'hall-1', DAY_START + 10 * 60 * MIN + 30_000, 2),
  entry(3, 'hall-2', DAY_START + 11 * 60 * MIN, 1),
  entry(4, 'hall-2', DAY_START + 13 * 60 * MIN + 5 * MIN, 2),
];

async function startAnalytics(role: 'live' | 'fresh', names: TestNames, redis: string): Promise<string> {
  const analytics = discoverServices().filter((s) => s.name === 'analytics');
  const port = await freePort();
  const [running] = startServices(
    analytics,
    {
      ...process.env,
      ...STATE_TEST_ENV,
      KAFKA_BROKERS: kafkaBrokers(),
      REDIS_URL: redis,
      EXPO_ID: expoId,
      TOPIC_PREFIX: names.topicPrefix,
      CONSUMER_GROUP: names.group(role),
      ADMIN_TOKENS: 'chaos-analytics-equal-admin-0123456789',
      OPS_TOKENS: OPS_TOKEN,
      LOG_LEVEL: 'warn',
      // The day is in the past: every record lands in its bucket. No footfall records are published.
      LATE_GRACE_MS: String(10 * 365 * 24 * 3600 * 1000),
      FOOTFALL_PUBLISH_INTERVAL_MS: '2000000000',
    },
    mkdtempSync(join(tmpdir(), `chaos-analytics-${role}-`)),
    { analytics: port },
  );
  services.push(running!);
  if (!(await waitForReady(port, 120_000))) throw new Error(`analytics (${role}) is not ready:\n${logTail(running!.logFile)}`);
  return `http://127.0.0.1:${port}`;
}

/** The day's accepted scans as an instance answers them now. */
async function acceptedOn(base: string): Promise<number> {
  const response = await fetch(`${base}/v1/summary?date=${DAY}`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
  return response.ok ? ((await response.json()) as SummaryResponse).scans.accepted : -1;
}

/** A separate database of the run's Redis: the fresh fold's keys are the live one's, same expo. */
function ownDatabase(url: string): string {
  const own = new URL(url);
  own.pathname = '/1';
  return own.toString();
}

function compareOptions(): AnalyticsCompareOptions {
  return {
    live: urls.live,
    fresh: urls.fresh,
    token: OPS_TOKEN,
    days: [DAY],
    zoneIds: ZONES,
    from: new Date(DAY_START).toISOString(),
    to: new Date(DAY_START + 24 * 60 * MIN).toISOString(),
  };
}

beforeAll(async () => {
  [liveTopics, freshTopics] = await Promise.all([
    createPlatformTopics(live, TOPIC_IDS, { partitions: 3 }),
    createPlatformTopics(mirror, TOPIC_IDS, { partitions: 3 }),
  ]);
  urls.live = await startAnalytics('live', live, redisUrl());
  for (const topics of [liveTopics, freshTopics]) {
    await producer.send(topics.zones, [zoneDefined('site', null), ...ZONES.map((z) => zoneDefined(z, 'site'))]);
    await producer.send(topics.scans, FIRST_SCANS);
  }
  urls.fresh = await startAnalytics('fresh', mirror, ownDatabase(redisUrl()));
}, 300_000);

afterAll(async () => {
  await stopServices(services);
  await producer.disconnect();
});

describe('compareAnalytics between two analytics instances', () => {
  it('finds every figure equal once both folded the same records', async () => {
    await expect.poll(() => acceptedOn(urls.live), { timeout: 60_000, interval: 250 }).toBe(FIRST_SCANS.length);
    const result = await waitForAnalyticsEqual({ ...compareOptions(), timeoutMs: 60_000, intervalMs: 500 });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // 2 whole-expo routes, 1 day's summary, per zone 3 footfall + 3 CSV + 1 dwell.
    expect(result.counts.routes).toBe(2 + 1 + ZONES.length * 7);
    expect(result.counts.differences).toBe(0);
    expect(result.checked).toBeGreaterThan(50);
    expect(await acceptedOn(urls.fresh)).toBe(FIRST_SCANS.length);
  });

  it('names the route, field and both values where the fresh fold has not seen a record', async () => {
    await producer.send(liveTopics.scans, [entry(5, 'hall-1', DAY_START + 15 * 60 * MIN, 3)]);
    await expect.poll(() => acceptedOn(urls.live), { timeout: 60_000, interval: 250 }).toBe(FIRST_SCANS.length + 1);

    const result = await compareAnalytics(compareOptions());
    expect(result.ok).toBe(false);
    expect(result.counts.differences).toBeGreaterThan(0);
    expect(result.counts.unanswered).toBe(0);
    // The first differing field of each route (the samples name as many routes as they can).
    expect(result.problems).toContain(`differences: GET /v1/summary?date=${DAY} uniqueVisitors: live 5, fresh 4`);
    expect(result.problems).toContain('differences: GET /v1/live zones.hall-1.occupancy: live 3, fresh 2');
    const hour = new Date(DAY_START + 15 * 60 * MIN).toISOString();
    expect(
      result.problems.some(
        (p) => p.startsWith(`differences: GET /v1/footfall?zoneId=hall-1&bucket=1h&`) && p.includes(`buckets.${hour}: live {`) && p.endsWith(', fresh absent'),
      ),
    ).toBe(true);
  });

  it('counts an instance that does not answer as a problem, not as equal', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await compareAnalytics({ ...compareOptions(), fresh: closed, requestTimeoutMs: 2000 });
    expect(result.ok).toBe(false);
    expect(result.counts.unanswered).toBe(result.counts.routes);
    expect(result.problems[0]).toMatch(/^unanswered: GET \/v1\/\S+: live 200; fresh /);
  });
});
