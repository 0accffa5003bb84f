import { BadgeKeyRing } from '@expo/badges';
import { createKafka, readTopicToEnd, SendTimeoutError, type BusProducer, type TopicEvent } from '@expo/bus';
import { createPlatformTopics, kafkaBrokers, redisUrl, testNames, waitForReadiness, waitUntilReady, type TestNames, STATE_TEST_ENV } from '@expo/testkit';
import type { RegisterAttendeeBody, TopicContract } from '@expo/schemas';
import { requestRebuild, stateKeys, type ServiceApp } from '@expo/service-kit';
import { vi } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { Registration } from '../src/store/registration-store.ts';
import type { RegistrationDeps, RegistrationTopics } from '../src/usecases/deps.ts';
import { UnconfirmedRegistrationError } from '../src/usecases/publish-registrations.ts';
import { registerAttendees } from '../src/usecases/register-attendees.ts';

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
export async function setupRegistration(
  label: string,
  env: Record<string, string> = {},
): Promise<TestRegistration & { app: ServiceApp; close(): Promise<void> }> {
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
export async function recordsOf<C extends TopicContract>(
  topic: C,
  brokers = kafkaBrokers(),
): Promise<Array<{ key: string | null; event: TopicEvent<C> | null }>> {
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

/** How a faulty send ends: `lost` times out having sent nothing, `lands` times out after Kafka acknowledged. */
export type SendFault = 'lost' | 'lands';

/**
 * The service's use-case deps with a fault injected into the writes to some topics: each times out
 * (SendTimeoutError, an unknown outcome) before sending (`lost`) or once written (`lands`).
 */
export function withSendsTimingOut(deps: RegistrationDeps, topics: readonly TopicContract[], fault: SendFault): RegistrationDeps {
  const real = deps.producer;
  const faulty = new Set(topics.map((t) => t.name));
  const producer = Object.create(real) as BusProducer;
  producer.send = (async (contract: TopicContract, inputs: never[]) => {
    if (!faulty.has(contract.name)) return real.send(contract, inputs);
    if (fault === 'lands') await real.send(contract, inputs);
    throw new SendTimeoutError(contract.name, 0);
  }) as BusProducer['send'];
  return { ...deps, producer };
}

/** Registers through faulty deps, whose outcome is unknown: the registration the outbox keeps. */
export async function registerUnconfirmed(deps: RegistrationDeps, body: object): Promise<Registration> {
  const error = await registerAttendees(deps, [body as RegisterAttendeeBody]).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof UnconfirmedRegistrationError)) throw new Error(`expected an unconfirmed registration, got ${String(error)}`);
  const registration = await deps.store.outbox.held(error.attendeeIds[0]!);
  if (!registration) throw new Error('the unconfirmed registration is not in the outbox');
  return registration;
}

/**
 * A registration half on the log: its attendee.registered acknowledged, its badge.issued timed out
 * unsent, so it waits in the outbox.
 */
export function registerHalfOnTheLog(app: ServiceApp, body: object): Promise<Registration> {
  return registerUnconfirmed(withSendsTimingOut(app.registration, [app.registration.topics.badges], 'lost'), body);
}

/** Marks the state lost, as `pnpm rebuild` does, and waits until the instance rebuilt it and serves. */
export async function rebuildNow(app: ServiceApp, expoId: string): Promise<void> {
  const keys = stateKeys(expoId, 'reg');
  await requestRebuild(redisUrl(), keys, 'registration');
  await vi.waitFor(
    async () => {
      if ((await app.redis.exists(keys.marker)) === 0) throw new Error('the state was not rebuilt within 60 s');
    },
    { timeout: 60_000, interval: 50 },
  );
  await waitForReadiness(app, 200, 30_000);
}
