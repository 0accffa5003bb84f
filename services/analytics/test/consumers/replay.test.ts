import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '@expo/bus';
import { connectRedis, kafkaBrokers, keysMatching } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { analyticsPrefix } from '../../src/store/keys.ts';
import { DAY_CAPACITY, DAY_ZONES, scriptedDay, toScanInputs } from '../fixtures/scripted-day.ts';
import { attendee, badgeIssued, exhibitor, meeting } from '../fixtures/registry.ts';
import { ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../helper.ts';

// Scans are kept 30 days on Kafka, dedupe marks (envelope ids) only DEDUPE_TTL_SECONDS: a replay of
// the log after the marks are gone (a group reset to earliest) must change no figure, because every
// fold skips what its stored log positions say it has applied. The marks last one second here.
const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');
const TEN_YEARS_MS = String(10 * 365 * 86_400_000);
const REGISTERED = 200;

/** Everything the API shows for the day: summary (scans, funnel, meetings, mix), live zones, footfall, dwell. */
async function figures(app: ServiceApp) {
  const get = async (url: string) => {
    const response = await app.inject({ url, headers: ops });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<unknown>();
  };
  const range = `from=${encodeURIComponent(new Date(DAY_START).toISOString())}&to=${encodeURIComponent(new Date(DAY_START + 86_400_000).toISOString())}`;
  const perZone = await Promise.all(
    DAY_ZONES.map(async (z) => ({
      zone: z,
      minute: await get(`/v1/footfall?zoneId=${z}&bucket=1m&${range}`),
      dwell: await get(`/v1/dwell?zoneId=${z}&date=${DAY}`),
    })),
  );
  const live = (await get('/v1/live')) as { zones: unknown };
  return { summary: await get(`/v1/summary?date=${DAY}`), total: await get('/v1/summary'), zones: live.zones, perZone };
}

async function dedupeMarks(redis: ReturnType<typeof connectRedis>, expoId: string): Promise<string[]> {
  return keysMatching(redis, `${analyticsPrefix(expoId)}seen:*`);
}

describe('a replay beyond the dedupe window', () => {
  let t: TestAnalytics;
  const redis = connectRedis();

  beforeAll(async () => {
    t = await setupAnalytics('replay-window', { LATE_GRACE_MS: TEN_YEARS_MS, DEDUPE_TTL_SECONDS: '1' });
    const e = t.names.expoId;
    await t.producer.send(t.topics.zones, [zoneDefined(e, 'site', null, null), ...DAY_ZONES.map((z) => zoneDefined(e, z, DAY_CAPACITY[z]!))]);
    // Entities that changed after their first record (half the attendees cancelled, an exhibitor's
    // debuts, a meeting held): a replay passes their older snapshots again.
    const registered = Array.from({ length: REGISTERED }, (_, i) => attendee(e, i, i % 2 === 0 ? 'buyer' : 'media', 'KE', ['food']));
    const cancelled = Array.from({ length: REGISTERED / 2 }, (_, i) => attendee(e, 2 * i + 1, 'media', 'KE', ['food'], 'cancelled'));
    await t.producer.send(t.topics.attendees, [...registered, ...cancelled]);
    await t.producer.send(t.topics.badges, [badgeIssued(e, 0), badgeIssued(e, 1)]);
    await t.producer.send(t.topics.exhibitors, [exhibitor(e, 'ex-1', 1), exhibitor(e, 'ex-1', 3)]);
    await t.producer.send(t.topics.meetings, [meeting(e, 'm-1', 'requested'), meeting(e, 'm-1', 'held', 5000), meeting(e, 'm-2', 'scheduled')]);
    await t.producer.send(t.topics.scans, toScanInputs(e, scriptedDay(150, DAY_START, 13)));
  });
  afterAll(async () => {
    await t.close();
    redis.disconnect();
  });

  it('a replay of scans older than the dedupe window does not count twice', async () => {
    const scansGroup = `${t.config.CONSUMER_GROUP}.scans`;
    const referenceGroup = `${t.config.CONSUMER_GROUP}.reference`;
    const reference = [t.topics.zones, t.topics.attendees, t.topics.badges, t.topics.exhibitors, t.topics.meetings];
    const consumeAll = async () => {
      await waitForConsumed(scansGroup, t.topics.scans.name);
      for (const topic of reference) await waitForConsumed(referenceGroup, topic.name);
    };

    const first = await t.instance();
    await consumeAll();
    const before = await figures(first);
    const summary = before.summary as { scans: { accepted: number }; funnel: { registered: number }; meetingsByStatus: { held: number } };
    expect(summary.scans.accepted).toBeGreaterThan(100);
    expect(summary.funnel.registered).toBe(REGISTERED / 2);
    expect(summary.meetingsByStatus.held).toBe(1);
    await first.close();

    // The marks expire (as they do 8 days after a scan by default, while Kafka keeps it 30).
    await expect
      .poll(async () => (await dedupeMarks(redis, t.names.expoId)).length, { timeout: 15_000, interval: 200, message: 'the dedupe marks never expired' })
      .toBe(0);

    // An operator resets both consumer groups to the start of their topics: the whole log again.
    const admin = createKafka({ brokers: kafkaBrokers(), clientId: 'replay-test' }).admin();
    await admin.connect();
    try {
      await admin.resetOffsets({ groupId: scansGroup, topic: t.topics.scans.name, earliest: true });
      for (const topic of reference) await admin.resetOffsets({ groupId: referenceGroup, topic: topic.name, earliest: true });
      const [committed] = await admin.fetchOffsets({ groupId: scansGroup, topics: [t.topics.scans.name] });
      expect(committed!.partitions.every((p) => Number(p.offset) <= 0)).toBe(true);
    } finally {
      await admin.disconnect();
    }

    const again = await t.instance();
    // Watched while the log is replayed, not only once it is: no figure moves, not even for a while.
    const seen: unknown[] = [];
    let replaying = true;
    const watching = (async () => {
      while (replaying) {
        seen.push((await again.inject({ url: '/v1/summary', headers: ops })).json<unknown>());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await consumeAll().finally(() => (replaying = false));
    await watching;
    expect(seen.length).toBeGreaterThan(0);
    for (const total of seen) expect(total).toEqual(before.total);
    expect(await figures(again)).toEqual(before);
  }, 180_000);
});
