import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type SummaryResponse, type TopicId } from '@expo/schemas';
import { buildServices, discoverServices, freePort, logTail, startServices, stopServices, venueToday, waitForReady, type RunningService } from '@expo/infra';
import { createPlatformTopics, kafkaBrokers, launchChromium, redisUrl, testNames, type Browser } from '@expo/testkit';
import type { Endpoints } from '../src/http/endpoints.ts';
import { seedExpo, type SeedResult } from '../src/seed/seed-expo.ts';
import { DEMO_SIZE } from '../src/seed/sizes.ts';
import type { GroundTruthSnapshot } from '../src/sim/ground-truth.ts';
import { simulate } from '../src/sim/simulate.ts';

// The whole platform as separate processes, compiled as deployed (each service's `start` command:
// `node <its node-flags> --conditions=compiled dist/server.js`, after `pnpm build`), on the test's
// own topics, expo id and consumer groups: a small expo seeded through the public routes, the
// simulator run for a fixed number of steps one at a time, then every service and the dashboard
// must agree with the simulator's ground truth.
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const OPS_TOKEN = 'e2e-ops-token-0123456789abcdef';
// The demo's first day whole (morning peak, offline scanners uploading, leads, meetings scheduled
// and held, the closing sweep) and the next morning: about 40 s at one step at a time.
const STEPS = 7000;
const names = testNames('e2e');
const today = venueToday();
const lastDay = new Date(Date.parse(`${today}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);

const venueMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();

let services: RunningService[] = [];
let endpoints: Endpoints;
let seeded: SeedResult;
let truth: GroundTruthSnapshot;
let browser: Browser | undefined;

const get = async <T>(base: string, path: string): Promise<T> => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!response.ok) throw new Error(`GET ${base}${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
};

beforeAll(async () => {
  await createPlatformTopics(names, Object.keys(TOPICS) as TopicId[], { partitions: 3 });
  // Turbo rebuilds only what changed since the last build (nothing, after the root `test` script's build).
  buildServices();
  const found = discoverServices('compiled');
  const ports = Object.fromEntries(await Promise.all(found.map(async (s) => [s.name, await freePort()] as const)));
  const dir = mkdtempSync(join(tmpdir(), 'expo-e2e-'));
  services = startServices(
    found,
    {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers(),
      REDIS_URL: redisUrl(),
      EXPO_ID: names.expoId,
      TOPIC_PREFIX: names.topicPrefix,
      CONSUMER_GROUP: names.groupId,
      ADMIN_TOKENS: ADMIN_TOKEN,
      OPS_TOKENS: OPS_TOKEN,
      LOG_LEVEL: 'warn',
      BADGE_SIGNING_KEYS_FILE: join(dir, 'badge-signing-keys.json'),
      EXPO_FIRST_DAY: today,
      EXPO_LAST_DAY: lastDay,
      REGISTRATION_RATE_LIMIT: '100000',
      // A simulated gate scans days of visitors in minutes: far above a real device's rate limit.
      SCAN_RATE_LIMIT_PER_MINUTE: '1000000',
      SCAN_BATCH_RATE_LIMIT_PER_MINUTE: '1000000',
      CLOSING_SWEEP_AT: 'off',
      // The simulator's days run faster than the clock (see infra/src/dev-expo.ts).
      SCAN_CLOCK_BOUND_SECONDS: String(8 * 24 * 3600),
    },
    join(dir, 'logs'),
    ports,
  );
  for (const s of services) {
    if (!(await waitForReady(ports[s.name]!, 180_000))) throw new Error(`${s.name} is not ready:\n${logTail(s.logFile)}`);
  }
  const url = (name: string) => `http://127.0.0.1:${ports[name]}`;
  endpoints = {
    registration: url('registration'),
    scanning: url('badge-scanning'),
    matchmaking: url('matchmaking'),
    analytics: url('analytics'),
    adminToken: ADMIN_TOKEN,
  };

  seeded = await seedExpo({ endpoints, seed: 7, size: DEMO_SIZE, stateDir: join(dir, 'simulator'), openingDay: today, concurrency: 4 });
  ({ truth } = await simulate({ endpoints, state: seeded.state, plan: seeded.plan, steps: STEPS, concurrency: 1 }));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stopServices(services);
});

describe("the whole platform against the simulator's ground truth", () => {
  it('ran a day and a morning of everything without surprises: every decision as predicted, no failed request', () => {
    expect(truth.steps).toBe(STEPS);
    expect(Object.keys(truth.days)).toHaveLength(2);
    expect(truth.sweeps).toBeGreaterThan(0);
    expect(truth.scans.accepted).toBeGreaterThan(1000);
    expect(truth.scans.rejectedByReason.capacity_full).toBeGreaterThan(0);
    expect(truth.scans.offlineUploaded).toBeGreaterThan(0);
    expect(truth.scans.unscannedExits).toBeGreaterThan(0);
    expect(truth.leads.captured).toBeGreaterThan(0);
    expect(truth.meetings.held).toBeGreaterThan(0);
    expect(truth.mismatches).toEqual({ count: 0, capacityRaces: 0, samples: [] });
    expect(truth.errors).toEqual({ count: 0, samples: [] });
  });

  it('registration holds every seeded attendee in the right category', async () => {
    expect(seeded.plan.attendees).toHaveLength(DEMO_SIZE.attendees);
    for (const planned of seeded.plan.attendees) {
      const attendeeId = seeded.state.attendees[planned.key]?.attendeeId;
      expect(attendeeId).toBeDefined();
      const body = await get<{ attendeeId: string; category: string }>(endpoints.registration, `/v1/attendees/${attendeeId}`);
      expect(body).toMatchObject({ attendeeId, category: planned.category });
    }
  });

  it("badge-scanning's occupancy of every zone is the simulator's", async () => {
    const { zones } = await get<{ zones: Array<{ zoneId: string; occupancy: number }> }>(endpoints.scanning, '/v1/occupancy');
    const occupancy = Object.fromEntries(zones.map((z) => [z.zoneId, z.occupancy]));
    const expected = Object.fromEntries(seeded.state.zones.map((z) => [z, truth.occupancy[z] ?? 0]));
    expect(occupancy).toEqual(expected);
    expect(Object.values(expected).some((n) => n > 0)).toBe(true);
  });

  it('analytics counts the same scans, visitors, entries and meetings', async () => {
    const expectedLive = Object.fromEntries(seeded.state.zones.map((z) => [z, truth.occupancy[z] ?? 0]));
    const live = async () => {
      const { zones } = await get<{ zones: Array<{ zoneId: string; occupancy: number }> }>(endpoints.analytics, '/v1/live');
      return Object.fromEntries(seeded.state.zones.map((z) => [z, zones.find((l) => l.zoneId === z)?.occupancy ?? 0]));
    };
    await expect.poll(live, { timeout: 60_000, interval: 500 }).toEqual(expectedLive);

    for (const [date, day] of Object.entries(truth.days)) {
      const summary = await get<SummaryResponse>(endpoints.analytics, `/v1/summary?date=${date}`);
      expect(summary.scans.accepted).toBe(day.accepted);
      expect(summary.scans.rejected).toBe(day.rejected);
      expect(Object.fromEntries(Object.entries(summary.scans.rejectedByReason).filter(([, n]) => n > 0))).toEqual(day.rejectedByReason);
      expect(summary.uniqueVisitors).toBe(day.uniqueBadges);
    }

    const whole = await get<SummaryResponse>(endpoints.analytics, '/v1/summary');
    const byCategory: Record<string, number> = {};
    for (const a of seeded.plan.attendees) byCategory[a.category] = (byCategory[a.category] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(whole.registrationsByCategory).filter(([, n]) => n > 0))).toEqual(byCategory);
    expect(whole.meetingsByStatus.held).toBe(truth.meetings.held);
    expect(whole.intendedTurnoverUsd).toBe(truth.meetings.intendedDealUsd);

    for (const zoneId of seeded.state.zones) {
      const entries = truth.entries[zoneId];
      const { buckets } = await get<{ buckets: Array<{ in: number; out: number }> }>(
        endpoints.analytics,
        `/v1/footfall?zoneId=${zoneId}&bucket=1h&from=${venueMidnight(today)}&to=${venueMidnight(lastDay)}`,
      );
      const counted = buckets.reduce((sum, b) => sum + b.in, 0);
      expect({ zoneId, in: counted }).toEqual({ zoneId, in: (entries?.device ?? 0) + (entries?.inferred ?? 0) });
    }
  });

  it('matchmaking holds the meetings the buyers and exhibitors held', async () => {
    const held = new Set<string>();
    for (const { exhibitorId } of Object.values(seeded.state.exhibitors)) {
      const { items } = await get<{ items: Array<{ meetingId: string; status: string }> }>(endpoints.matchmaking, `/v1/participants/${exhibitorId}/schedule`);
      for (const m of items) if (m.status === 'held') held.add(m.meetingId);
    }
    expect(held.size).toBe(truth.meetings.held);
  });

  it("the dashboard in Chromium shows the same occupancy and today's figures", async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${endpoints.analytics}/dashboard#token=${OPS_TOKEN}`);
    for (const zoneId of seeded.state.zones) {
      const count = page.locator(`.zone[data-zone-id="${zoneId}"] .count`);
      await expect.poll(() => count.getAttribute('data-occupancy'), { timeout: 20_000 }).toBe(String(truth.occupancy[zoneId] ?? 0));
    }
    const day = truth.days[today];
    expect(day).toBeDefined();
    const figures = page.locator('#headline .figure .value');
    await expect.poll(() => figures.count(), { timeout: 20_000 }).toBe(7);
    const number = (n: number) => n.toLocaleString('en-US');
    expect(await figures.nth(0).textContent()).toBe(number(DEMO_SIZE.attendees));
    expect(await figures.nth(1).textContent()).toBe(number(day!.uniqueBadges));
    expect(await figures.nth(6).textContent()).toBe(`${number(day!.accepted)} / ${number(day!.rejected)}`);
  });
});
