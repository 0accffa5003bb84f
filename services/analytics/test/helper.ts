import { BusProducer, createKafka, type TopicEventInput } from '@expo/bus';
import { createPlatformTopics, kafkaBrokers, recordSuiteExpo, redisUrl, testNames, type TestNames, STATE_TEST_ENV } from '@expo/testkit';
import type { TOPICS } from '@expo/schemas';
import type { ServiceApp } from '@expo/service-kit';
import { vi } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { AnalyticsTopics } from '../src/consumers/deps.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const OPS_TOKEN = 'test-ops-token-0123456789ab';
export const ops = { authorization: `Bearer ${OPS_TOKEN}` };

export const TOPIC_IDS = ['scans', 'zones', 'attendees', 'badges', 'exhibitors', 'meetings', 'footfall'] as const;

export interface TestAnalytics {
  readonly names: TestNames;
  readonly topics: AnalyticsTopics;
  readonly config: Config;
  /** Writes test data as badge-scanning, registration and matchmaking would. */
  readonly producer: BusProducer;
  /**
   * An instance of the service on the test's topics and expo (another one shares them), answered
   * once its state is whole (unless told not to wait: a Redis that is down on purpose).
   */
  instance(env?: Record<string, string>, options?: { waitUntilWhole?: boolean }): Promise<ServiceApp>;
  close(): Promise<void>;
}

export async function createAnalyticsTopics(names: TestNames, partitions = 3): Promise<AnalyticsTopics> {
  return createPlatformTopics(names, TOPIC_IDS, { partitions });
}

export function testConfig(names: TestNames, env: Record<string, string> = {}): Config {
  return loadConfig({
    KAFKA_BROKERS: kafkaBrokers(),
    REDIS_URL: redisUrl(),
    ADMIN_TOKENS: ADMIN_TOKEN,
    OPS_TOKENS: OPS_TOKEN,
    EXPO_ID: names.expoId,
    CONSUMER_GROUP: names.groupId,
    LOG_LEVEL: 'warn',
    ...STATE_TEST_ENV,
    FOOTFALL_PUBLISH_INTERVAL_MS: '500',
    ...env,
  });
}

/** An analytics service of the test's own: its own expo id, topics and groups; real Kafka and Redis. */
export async function setupAnalytics(
  label: string,
  env: Record<string, string> = {},
  existing?: { names: TestNames; topics: AnalyticsTopics },
): Promise<TestAnalytics> {
  const names = existing?.names ?? testNames(label);
  const topics = existing?.topics ?? (await createAnalyticsTopics(names));
  const config = testConfig(names, env);
  const producer = new BusProducer(createKafka({ brokers: kafkaBrokers(), clientId: `${label}-data` }), { source: 'badge-scanning', sendTimeoutMs: 30_000 });
  const apps: ServiceApp[] = [];
  return {
    names,
    topics,
    config,
    producer,
    instance: async (extra = {}, options = {}) => {
      const effective = { ...config, ...testConfig(names, { ...env, ...extra }) };
      // Noted for the checks after the suite (test-after/): its figures must equal a fresh fold.
      await recordSuiteExpo({
        service: 'analytics',
        expoId: effective.EXPO_ID,
        label,
        kafkaBrokers: effective.KAFKA_BROKERS,
        redisUrl: effective.REDIS_URL,
        topics,
        env: { ...env, ...extra, CONSUMER_GROUP: effective.CONSUMER_GROUP },
      });
      const app = await buildApp(effective, { topics });
      await app.ready();
      apps.push(app);
      if (options.waitUntilWhole !== false) {
        await vi.waitFor(
          () => {
            if (!app.stateLifecycle.whole) throw new Error(`analytics state not whole within 60 s: ${app.stateLifecycle.detail}`);
          },
          { timeout: 60_000, interval: 25 },
        );
      }
      return app;
    },
    close: async () => {
      await Promise.all(apps.map((a) => a.close()));
      await producer.disconnect();
    },
  };
}

/** Resolves once the group has committed everything on the topic (every handler succeeded). */
export async function waitForConsumed(groupId: string, topic: string, timeoutMs = 60_000): Promise<void> {
  const admin = createKafka({ brokers: kafkaBrokers(), clientId: 'analytics-test-lag' }).admin();
  await admin.connect();
  try {
    await vi.waitFor(
      async () => {
        if (!(await consumedToEnd(admin, groupId, topic))) throw new Error(`group ${groupId} did not consume ${topic} within ${timeoutMs} ms`);
      },
      { timeout: timeoutMs, interval: 100 },
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Whether the group's commits reach the topic's end. A retriable broker error (the group's
 * coordinator moving while a loaded broker elects leaders) counts as "not yet".
 */
type Admin = ReturnType<ReturnType<typeof createKafka>['admin']>;

async function consumedToEnd(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.every((e) => {
      const c = committed?.partitions.find((p) => p.partition === e.partition);
      return Number(e.high) === 0 || Number(c?.offset ?? -1) >= Number(e.high);
    });
  } catch (error) {
    if ((error as { retriable?: boolean }).retriable) return false;
    throw error;
  }
}

export type ScanInput = TopicEventInput<typeof TOPICS.scans>;
export type ZoneInput = TopicEventInput<typeof TOPICS.zones>;

export function zoneDefined(eventId: string, zoneId: string, capacity: number | null, parentId: string | null = 'site', name = zoneId): ZoneInput {
  return {
    type: 'zone.defined',
    eventId,
    data: {
      zoneId,
      name,
      kind: parentId === null ? 'venue' : 'hall',
      parentId,
      capacity,
      antiPassback: 'soft',
      gates: [{ gateId: `${zoneId}-gate` }],
      changed: ['zoneId'],
    },
  };
}
