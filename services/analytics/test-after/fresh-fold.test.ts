import { randomBytes } from 'node:crypto';
import { createKafka, topicEnds, waitForGroupsToReach } from '@expo/bus';
import { probeState, stateKeys, type ServiceApp } from '@expo/service-kit';
import {
  connectRedis,
  DedicatedRedis,
  kafkaBrokers,
  notOnSharedInfra,
  recordedTopics,
  redisUrl,
  STATE_TEST_ENV,
  suiteExpos,
  testRunId,
  type SuiteExpo,
} from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { DAY_MS, ExpoCalendar } from '../src/domain/time.ts';
import { TOPIC_IDS } from '../test/helper.ts';

// Analytics' figures are the fold of its topics (promises 3 and 5 of docs/promises.md): after the
// whole analytics suite, every expo it left in the shared Redis answers what a fresh instance
// folding the same topics from their start answers. This is the suite-invariants project: it runs
// after every other project. The state as the suite left it is read through an instance in the
// suite's own consumer group (the service restarted: it goes on from its commits, normally at the
// topics' ends already); the fresh fold is an instance with a new group on a Redis of its own.
const runId = testRunId();
const expos = await suiteExpos('analytics');
const onShared = expos.filter((e) => notOnSharedInfra(e) === null);
/** A bound on the check's time: at most this many expos a run, chosen at random beyond it. */
const MAX_EXPOS = 16;
const checkable = onShared.length <= MAX_EXPOS ? onShared : [...onShared].sort(() => Math.random() - 0.5).slice(0, MAX_EXPOS);

const OPS_TOKEN = 'suite-invariants-ops-0123456789';
const ops = { authorization: `Bearer ${OPS_TOKEN}` };
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'suite-invariants' });
const shared = connectRedis();
let freshRedis: DedicatedRedis;
beforeAll(async () => {
  if (checkable.length > 0) freshRedis = await DedicatedRedis.start();
}, 60_000);
let answersCompared = 0;
let exposCompared = 0;
afterAll(async () => {
  console.log(
    `[suite-invariants] analytics, run ${runId}: ${exposCompared} expo(s) equal to a fresh fold (${answersCompared} answers compared) of ${expos.length} recorded, ${onShared.length} on the shared Kafka and Redis`,
  );
  shared.disconnect();
  await freshRedis?.close();
});

/** The service as the suite configured it for this expo, on the Redis and group given. */
function configFor(expo: SuiteExpo, redis: string, group: string) {
  const { REDIS_URL: _r, KAFKA_BROKERS: _k, EXPO_ID: _e, ...env } = expo.env;
  return loadConfig({
    KAFKA_BROKERS: kafkaBrokers(),
    ADMIN_TOKENS: 'suite-invariants-admin-0123456789',
    OPS_TOKENS: OPS_TOKEN,
    LOG_LEVEL: 'error',
    ...STATE_TEST_ENV,
    ...env,
    EXPO_ID: expo.expoId,
    REDIS_URL: redis,
    CONSUMER_GROUP: group,
    // Nothing is published to the suite's footfall topic while the check runs.
    FOOTFALL_PUBLISH_INTERVAL_MS: '2000000000',
  });
}

async function whole(app: ServiceApp, what: string, timeoutMs = 45_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!app.stateLifecycle.whole) throw new Error(`${what} not whole within ${timeoutMs} ms: ${app.stateLifecycle.detail}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every figure a user can read of the expo, for the given days and zones, by what was asked. */
async function figures(app: ServiceApp, calendar: ExpoCalendar, days: readonly string[], zones: readonly string[]): Promise<Record<string, Json>> {
  const get = async (url: string): Promise<Json> => {
    const res = await app.inject({ url, headers: ops });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json<Json>();
  };
  // Buckets by their start and live zones by id, so a difference names the bucket and the zone.
  const byKey = (rows: Json, key: string) => Object.fromEntries((rows as Array<Record<string, Json>>).map((r) => [r[key] as string, r]));
  const out: Record<string, Json> = { '/v1/summary': await get('/v1/summary') };
  // The live zones only: the throughput part of /v1/live is relative to the clock.
  out['/v1/live zones'] = byKey(((await get('/v1/live')) as { zones: Json }).zones, 'zoneId');
  for (const day of days) {
    out[`/v1/summary?date=${day}`] = await get(`/v1/summary?date=${day}`);
    const range = `from=${new Date(calendar.dayStart(day)).toISOString()}&to=${new Date(calendar.dayStart(day) + DAY_MS).toISOString()}`;
    for (const zone of zones) {
      for (const bucket of ['1m', '1h']) {
        const url = `/v1/footfall?zoneId=${encodeURIComponent(zone)}&bucket=${bucket}&${range}`;
        out[url] = byKey(((await get(url)) as { buckets: Json }).buckets, 'start');
      }
      out[`/v1/dwell?zoneId=${zone}&date=${day}`] = await get(`/v1/dwell?zoneId=${encodeURIComponent(zone)}&date=${day}`);
    }
  }
  return out;
}

/** Where two answers differ, leaf by leaf (at most `limit`). */
function differences(left: Json | undefined, fresh: Json | undefined, path: string, out: string[], limit = 12): string[] {
  if (out.length >= limit) return out;
  if (left !== null && fresh !== null && typeof left === 'object' && typeof fresh === 'object') {
    for (const key of new Set([...Object.keys(left), ...Object.keys(fresh)])) {
      differences((left as Record<string, Json>)[key], (fresh as Record<string, Json>)[key], `${path} ${key}`, out, limit);
    }
  } else if (JSON.stringify(left) !== JSON.stringify(fresh)) {
    out.push(`${path}: ${JSON.stringify(left) ?? 'absent'} as the suite left it, ${JSON.stringify(fresh) ?? 'absent'} in a fresh fold`);
  }
  return out;
}

describe(`analytics: the figures the suite left equal a fresh fold of the same topics (run ${runId})`, () => {
  if (checkable.length === 0) {
    it.skip(
      `no analytics expo on the shared Kafka and Redis was recorded in run ${runId}: run this project with @expo/analytics, or set EXPO_TEST_RUN_ID to an earlier run`,
    );
    return;
  }
  // (An expo of a test that also built an instance of it on the shared Redis is checked there.)
  for (const expo of expos.filter((e) => notOnSharedInfra(e) !== null && !onShared.some((s) => s.expoId === e.expoId)))
    it.skip(`${expo.expoId} from ${expo.file}: ${notOnSharedInfra(expo)}`);
  for (const expo of onShared.filter((e) => !checkable.includes(e))) it.skip(`${expo.expoId} from ${expo.file}: not in this run's sample of ${MAX_EXPOS}`);

  for (const expo of checkable) {
    it.concurrent(`${expo.expoId} from ${expo.file}: every summary, footfall, dwell and live figure equals a fresh fold`, async (ctx) => {
      const probe = await probeState(shared, stateKeys(expo.expoId, 'analytics').marker);
      if (!probe.verdict.whole) return ctx.skip(`state not whole: ${probe.verdict.detail}`);
      const topics = recordedTopics(expo, TOPIC_IDS);
      const suiteGroup = expo.env.CONSUMER_GROUP!;
      const freshGroup = `${suiteGroup}.fresh-fold.${randomBytes(3).toString('hex')}`;
      const apps: ServiceApp[] = [];
      try {
        const left = await buildApp(configFor(expo, redisUrl(), suiteGroup), { topics });
        apps.push(left);
        const fresh = await buildApp(configFor(expo, freshRedis.url, freshGroup), { topics });
        apps.push(fresh);
        await Promise.all([left.ready(), fresh.ready()]);
        await Promise.all([whole(left, 'the state the suite left'), whole(fresh, 'the fresh fold')]);
        // The suite's instances may have closed before consuming everything: the restarted one
        // catches up first (lag is not a wrong figure).
        const groups = {
          [`${suiteGroup}.scans`]: [topics.scans.name],
          [`${suiteGroup}.reference`]: [topics.zones, topics.attendees, topics.badges, topics.exhibitors, topics.meetings].map((t) => t.name),
        };
        const { ends } = await topicEnds(kafka, Object.values(groups).flat());
        await waitForGroupsToReach(kafka, groups, ends, { deadline: Date.now() + 45_000 });

        const calendar = new ExpoCalendar(configFor(expo, redisUrl(), suiteGroup).EXPO_TIME_ZONE);
        const days = [...new Set([...(await left.analytics.store.days()), ...(await fresh.analytics.store.days())])].sort();
        const zones = [...new Set([...(await left.analytics.store.live()), ...(await fresh.analytics.store.live())].map((z) => z.zoneId))].sort();
        const [asLeft, folded] = await Promise.all([figures(left, calendar, days, zones), figures(fresh, calendar, days, zones)]);
        answersCompared += Object.keys(asLeft).length;
        expect(
          differences(asLeft, folded, '', []).map((d) => d.trimStart()),
          `expo ${expo.expoId} (${expo.file}) on ${topics.scans.name}: ${days.length} day(s), ${zones.length} zone(s)`,
        ).toEqual([]);
        exposCompared++;
      } finally {
        await Promise.all(apps.map((a) => a.close()));
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteGroups([`${freshGroup}.scans`, `${freshGroup}.reference`]).catch(() => undefined);
        await admin.disconnect();
      }
    });
  }
});
