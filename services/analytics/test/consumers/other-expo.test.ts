import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import type { Summary } from '../../src/routes/v1/summary.ts';
import type { LiveZone } from '../../src/store/analytics-store.ts';
import { analyticsPrefix } from '../../src/store/keys.ts';
import { expectedSummary } from '../fixtures/expected.ts';
import { attendee, badgeIssued } from '../fixtures/registry.ts';
import { DAY_CAPACITY, DAY_ZONES, scriptedDay, toScanInputs, type ScriptedRecord } from '../fixtures/scripted-day.ts';
import { createAnalyticsTopics, ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../helper.ts';

const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');
/** Every id of expo B starts with this: none may turn up in expo A's Redis. */
const B = 'bx-';

/** Expo B's day at the same venue (same halls), by badges of its own. */
function otherExpoDay(): ScriptedRecord[] {
  return scriptedDay(150, DAY_START, 99).map((r) => ({ ...r, badge: `${B}${r.badge}`, scanId: `${B}${r.scanId}` }));
}

/** Every key name, hash field and set member under the expo's analytics prefix, but log positions. */
async function storedNames(redis: ReturnType<typeof connectRedis>, expoId: string): Promise<string[]> {
  const prefix = analyticsPrefix(expoId);
  const names: string[] = [];
  for (const key of await keysMatching(redis, `${prefix}*`)) {
    names.push(key);
    // A tombstone carries no envelope, so its log position is kept whoever's record it was.
    if (key.startsWith(`${prefix}pos:`)) continue;
    const type = await redis.type(key);
    if (type === 'hash') names.push(...Object.entries(await redis.hgetall(key)).flat());
    else if (type === 'set') names.push(...(await redis.smembers(key)));
    else if (type === 'zset') names.push(...(await redis.zrange(key, 0, -1)));
  }
  return names;
}

describe('two expos on the same topics, each with its default consumer groups', () => {
  const names = testNames('other-expo');
  const ours = `${names.expoId}-a`;
  const theirs = `${names.expoId}-b`;
  let a: TestAnalytics;
  let b: TestAnalytics;
  let appA: ServiceApp;
  let appB: ServiceApp;
  const ourDay = scriptedDay(60, DAY_START, 11);
  const theirDay = otherExpoDay();
  const redis = connectRedis();

  beforeAll(async () => {
    const topics = await createAnalyticsTopics(names, 3);
    // An empty CONSUMER_GROUP is unset: each expo's analytics takes its default groups.
    const env = { LATE_GRACE_MS: String(10 * 365 * 86_400_000), CONSUMER_GROUP: '' };
    a = await setupAnalytics('other-expo-a', { ...env, EXPO_ID: ours }, { names, topics });
    b = await setupAnalytics('other-expo-b', { ...env, EXPO_ID: theirs }, { names, topics });

    const theirAttendee = attendee(theirs, 0, 'media', 'FR', ['food']);
    theirAttendee.data.attendeeId = `${B}att-0`;
    const theirBadge = badgeIssued(theirs, 0);
    theirBadge.data.attendeeId = `${B}att-0`;
    await a.producer.send(topics.attendees, [theirAttendee]);
    await a.producer.send(topics.badges, [theirBadge]);
    await a.producer.send(topics.zones, [
      zoneDefined(theirs, 'site', null, null),
      ...DAY_ZONES.map((z) => zoneDefined(theirs, z, 9999)),
      zoneDefined(theirs, `${B}annex`, 50),
    ]);
    await a.producer.send(topics.zones, [zoneDefined(ours, 'site', null, null), ...DAY_ZONES.map((z) => zoneDefined(ours, z, DAY_CAPACITY[z]!))]);
    await a.producer.send(topics.scans, toScanInputs(theirs, theirDay));
    await a.producer.send(topics.scans, toScanInputs(ours, ourDay));

    [appA, appB] = await Promise.all([a.instance(), b.instance()]);
    for (const t of [a, b]) {
      await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, topics.scans.name);
      for (const topic of [topics.zones, topics.attendees, topics.badges]) await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, topic.name);
    }
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    redis.disconnect();
  });

  const get = async <T>(app: ServiceApp, url: string): Promise<T> => {
    const response = await app.inject({ url, headers: ops });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };

  it('names its consumer groups after its expo', () => {
    expect(a.config.CONSUMER_GROUP).toBe(`analytics.${ours}`);
    expect(b.config.CONSUMER_GROUP).toBe(`analytics.${theirs}`);
  });

  it("sums only its own expo's scans, peaks and registrations", async () => {
    const expected = expectedSummary(ourDay);
    const summary = await get<Summary>(appA, `/v1/summary?date=${DAY}`);
    expect(summary.scans.accepted).toBe(expected.accepted);
    expect(summary.scans.rejected).toBe(expected.rejected);
    expect(summary.peakOccupancy).toEqual(expected.peaks);
    expect(Math.abs(summary.uniqueVisitors - expected.uniqueVisitors)).toBeLessThanOrEqual(Math.ceil(expected.uniqueVisitors * 0.02));
    expect(Object.values(summary.registrationsByCategory).every((n) => n === 0)).toBe(true);
    expect(summary.funnel).toMatchObject({ registered: 0, badgeIssued: 0 });
  });

  it('shows only its own zones and their occupancy', async () => {
    const expected = expectedSummary(ourDay).occupancy;
    const live = await get<{ zones: LiveZone[] }>(appA, '/v1/live');
    expect(live.zones.map((z) => z.zoneId)).toEqual([...DAY_ZONES, 'site']);
    for (const zone of DAY_ZONES) {
      expect(live.zones.find((z) => z.zoneId === zone)).toMatchObject({ occupancy: expected.get(zone) ?? 0, capacity: DAY_CAPACITY[zone], unknown: false });
    }
  });

  it('keeps nothing of the other expo in its Redis', async () => {
    const stored = await storedNames(redis, ours);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.filter((name) => name.includes(B))).toEqual([]);
  });

  it('leaves the other expo its own figures', async () => {
    const expected = expectedSummary(theirDay);
    const summary = await get<Summary>(appB, `/v1/summary?date=${DAY}`);
    expect(summary.scans.accepted).toBe(expected.accepted);
    expect(summary.peakOccupancy).toEqual(expected.peaks);
    expect(summary.funnel).toMatchObject({ registered: 1, badgeIssued: 1 });
    const live = await get<{ zones: LiveZone[] }>(appB, '/v1/live');
    expect(live.zones.find((z) => z.zoneId === `${B}annex`)).toMatchObject({ capacity: 50, unknown: false });
  });
});
