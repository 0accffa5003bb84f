import { randomUUID } from 'node:crypto';
import { BadgeKeyRing } from '@expo/badges';
import { BusProducer, createKafka, readTopicToEnd, type TopicEvent } from '@expo/bus';
import type { Attendee, Delegation, Exhibitor, Product, ZoneKind } from '@expo/schemas';
import { generateKey, type ServiceApp } from '@expo/service-kit';
import { type TestNames, createPlatformTopics, kafkaBrokers, redisUrl, testNames, waitUntilReady, STATE_TEST_ENV } from '@expo/testkit';
import { vi } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { MatchmakingTopics } from '../src/usecases/deps.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const OPS_TOKEN = 'test-ops-token-0123456789ab';
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const ops = { authorization: `Bearer ${OPS_TOKEN}` };
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface TestMatchmaking {
  readonly names: TestNames;
  readonly topics: MatchmakingTopics;
  readonly config: Config;
  readonly app: ServiceApp;
  /** Another instance on the same Redis and topics. */
  instance(): Promise<ServiceApp>;
  /** Registration's records, written straight to the test's topics. */
  exhibitor(overrides?: Partial<Exhibitor>): Promise<{ exhibitor: Exhibitor; key: string }>;
  attendee(overrides?: Partial<Attendee>): Promise<{ attendee: Attendee; token: string }>;
  delegation(delegation: Delegation): Promise<void>;
  lead(exhibitorId: string, attendeeId: string): Promise<void>;
  /** Badge-scanning's records: a zone of the venue, and an attendee's accepted scan into a zone. */
  zone(zone: { zoneId: string; name: string; kind: ZoneKind }): Promise<void>;
  enter(attendeeId: string, zoneId: string): Promise<void>;
  close(): Promise<void>;
}

export function product(name: string, overrides: Partial<Product> = {}): Product {
  return { productId: `p-${randomUUID().slice(0, 8)}`, name, sectors: ['food'], debut: false, ...overrides };
}

/** A matchmaking service of the test's own: its expo id, topics and badge keys; real Kafka and Redis. */
export async function setupMatchmaking(label: string, env: Record<string, string> = {}): Promise<TestMatchmaking> {
  const names = testNames(label);
  const brokers = env.KAFKA_BROKERS ?? kafkaBrokers();
  const topics = await createPlatformTopics(
    names,
    ['attendees', 'exhibitors', 'delegations', 'badgeKeys', 'leads', 'zones', 'scans', 'meetings', 'requirements', 'preferences', 'sessions'],
    { partitions: 2, brokers },
  );
  const config = loadConfig({
    KAFKA_BROKERS: brokers,
    REDIS_URL: redisUrl(),
    ADMIN_TOKENS: ADMIN_TOKEN,
    OPS_TOKENS: OPS_TOKEN,
    EXPO_ID: names.expoId,
    LOG_LEVEL: 'warn',
    ...STATE_TEST_ENV,
    EXPIRY_SWEEP_MS: '100',
    SCHEDULER_BUDGET_MS: '200',
    ...env,
  });
  const producer = new BusProducer(createKafka({ brokers, clientId: 'matchmaking-test' }), { source: 'registration', sendTimeoutMs: 30_000 });
  const keyRing = BadgeKeyRing.generate();
  const [jwk] = keyRing.publicJwks().keys;
  await producer.send(topics.badgeKeys, [
    { type: 'badge_key.published', eventId: names.expoId, data: { kid: jwk!.kid, jwk: jwk!, status: 'active', publishedAt: new Date().toISOString() } },
  ]);
  const apps: ServiceApp[] = [];
  const instance = async () => {
    const app = await buildApp(config, { topics });
    await app.ready();
    apps.push(app);
    await waitUntilReady(app, 'matchmaking');
    return app;
  };
  const app = await instance();
  return {
    names,
    topics,
    config,
    app,
    instance,
    async exhibitor(overrides = {}) {
      const key = generateKey('exh');
      const exhibitor: Exhibitor = {
        exhibitorId: `ex-${randomUUID().slice(0, 8)}`,
        name: 'Exhibitor',
        country: 'FR',
        sectors: ['food'],
        hall: '1.1',
        booth: 'A1',
        fortuneGlobal500: false,
        leastDevelopedCountry: false,
        products: [],
        keyHash: key.hash,
        ...overrides,
      };
      await producer.send(topics.exhibitors, [
        { type: 'exhibitor.registered', eventId: names.expoId, data: { ...exhibitor, changed: Object.keys(exhibitor) } },
      ]);
      return { exhibitor, key: key.key };
    },
    async attendee(overrides = {}) {
      const attendee: Attendee = {
        attendeeId: `at-${randomUUID().slice(0, 8)}`,
        category: 'buyer',
        name: 'Buyer',
        email: `${randomUUID()}@example.com`,
        country: 'CN',
        interests: [],
        days: [],
        badgeId: `b-${randomUUID().slice(0, 8)}`,
        status: 'active',
        registeredAt: new Date().toISOString(),
        ...overrides,
      };
      const type = attendee.status === 'cancelled' ? 'attendee.cancelled' : 'attendee.registered';
      await producer.send(topics.attendees, [{ type, eventId: names.expoId, data: { ...attendee, changed: Object.keys(attendee) } } as never]);
      const token = keyRing.sign({
        bid: attendee.badgeId,
        aid: attendee.attendeeId,
        eid: names.expoId,
        cat: attendee.category,
        acc: [],
        from: '2024-11-05',
        to: '2024-11-10',
      });
      return { attendee, token };
    },
    async delegation(delegation) {
      await producer.send(topics.delegations, [
        { type: 'delegation.registered', eventId: names.expoId, data: { ...delegation, changed: Object.keys(delegation) } },
      ]);
    },
    async lead(exhibitorId, attendeeId) {
      await producer.send(topics.leads, [
        {
          type: 'lead.captured',
          eventId: names.expoId,
          data: {
            leadId: randomUUID(),
            exhibitorId,
            badgeId: `b-${attendeeId}`,
            attendeeId,
            category: 'buyer',
            country: 'CN',
            capturedAt: new Date().toISOString(),
          },
        },
      ]);
    },
    async zone({ zoneId, name, kind }) {
      const zone = { zoneId, name, kind, parentId: null, capacity: null, antiPassback: 'off' as const, gates: [] };
      await producer.send(topics.zones, [{ type: 'zone.defined', eventId: names.expoId, data: { ...zone, changed: Object.keys(zone) } }]);
    },
    async enter(attendeeId, zoneId) {
      const scannedAt = new Date().toISOString();
      await producer.send(topics.scans, [
        {
          type: 'scan.accepted',
          eventId: names.expoId,
          data: {
            scanId: randomUUID(),
            badgeId: `b-${attendeeId}`,
            attendeeId,
            deviceId: 'dev-1',
            gateId: 'gate-1',
            zoneId,
            fromZoneId: null,
            toZoneId: zoneId,
            direction: 'in',
            scannedAt,
            flags: { inferred: false, offline: false },
            origin: 'device',
            occupancyAfter: 1,
            decision: 'accepted',
            reason: null,
          },
        },
      ]);
    },
    async close() {
      await Promise.all(apps.map((a) => a.close()));
      await producer.disconnect();
    },
  };
}

/** Every record of the meetings topic (the whole snapshots), in partition order. */
export async function meetingRecords(topic: MatchmakingTopics['meetings']): Promise<Array<TopicEvent<MatchmakingTopics['meetings']>>> {
  const records: Array<TopicEvent<MatchmakingTopics['meetings']>> = [];
  await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'matchmaking-test' }), topic, (record) => {
    if (record.kind === 'event') records.push(record.event);
  });
  return records;
}

/** Polls until the check passes (records travel through Kafka), or fails with its last error. */
export function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 100 });
}
