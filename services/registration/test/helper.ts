import { BadgeKeyRing } from '@expo/badges';
import { createKafka, readTopicToEnd, type TopicEvent } from '@expo/bus';
import { createPlatformTopics, kafkaBrokers, redisUrl, testNames, waitUntilReady, type TestNames, STATE_TEST_ENV } from '@expo/testkit';
import type { TopicContract } from '@expo/schemas';
import type { ServiceApp } from '@expo/service-kit';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { RegistrationTopics } from '../src/usecases/deps.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const OPS_TOKEN = 'test-ops-token-0123456789ab';
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface TestRegistration {
  readonly names: TestNames;
  readonly topics: RegistrationTopics;
  readonly keyRing: BadgeKeyRing;
  readonly config: Config;
  /** Another instance of the service on the same Redis and topics. */
  instance(): Promise<ServiceApp>;
}

/** A registration service of the test's own: its own expo id, topics and keys; real Kafka and Redis. */
export async function setupRegistration(label: string, env: Record<string, string> = {}): Promise<TestRegistration & { app: ServiceApp; close(): Promise<void> }> {
  const names = testNames(label);
  const brokers = env.KAFKA_BROKERS ?? kafkaBrokers();
  const topics = await createPlatformTopics(names, ['attendees', 'exhibitors', 'delegations', 'badges', 'badgeKeys'], { partitions: 2, brokers });
  const keyRing = BadgeKeyRing.generate();
  const config = loadConfig({
    KAFKA_BROKERS: brokers,
    REDIS_URL: redisUrl(),
    ADMIN_TOKENS: ADMIN_TOKEN,
    OPS_TOKENS: OPS_TOKEN,
    EXPO_ID: names.expoId,
    LOG_LEVEL: 'warn',
    ...STATE_TEST_ENV,
    REGISTRATION_RATE_LIMIT: '100000',
    ...env,
  });
  const apps: ServiceApp[] = [];
  const instance = async () => {
    const app = await buildApp(config, { topics, keyRing });
    await app.ready();
    apps.push(app);
    // Serving starts once the state is rebuilt (at once on an empty expo).
    await waitUntilReady(app, 'registration');
    return app;
  };
  const app = await instance();
  return { names, topics, keyRing, config, instance, app, close: async () => void (await Promise.all(apps.map((a) => a.close()))) };
}

/** Every record of a topic, events and tombstones, in partition order (on the run's broker unless told another). */
export async function recordsOf<C extends TopicContract>(topic: C, brokers = kafkaBrokers()): Promise<Array<{ key: string | null; event: TopicEvent<C> | null }>> {
  const records: Array<{ key: string | null; event: TopicEvent<C> | null }> = [];
  await readTopicToEnd(createKafka({ brokers, clientId: 'registration-test' }), topic, (record, key) => {
    records.push({ key, event: record.kind === 'event' ? record.event : null });
  });
  return records;
}

export function attendeeBody(overrides: Record<string, unknown> = {}) {
  return {
    category: 'professional_visitor',
    name: 'Amina Njoroge',
    email: `amina.${Math.random().toString(36).slice(2)}@example.co.ke`,
    organisation: 'Nairobi Agri Exports & Co',
    country: 'KE',
    interests: ['food'],
    consent: true,
    ...overrides,
  };
}
