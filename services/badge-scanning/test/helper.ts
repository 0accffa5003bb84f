import { randomUUID } from 'node:crypto';
import { BadgeKeyRing, signBadgeToken } from '@expo/badges';
import { BusProducer, createKafka, readTopicToEnd, type TopicEvent } from '@expo/bus';
import type { AttendeeCategory, TOPICS } from '@expo/schemas';
import type { ServiceApp } from '@expo/service-kit';
import { createPlatformTopics, kafkaBrokers, recordSuiteExpo, redisUrl, testNames, waitUntilReady, type TestNames, STATE_TEST_ENV } from '@expo/testkit';
import { vi } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { ScanningTopics } from '../src/usecases/deps.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const OPS_TOKEN = 'test-ops-token-0123456789ab';
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const ops = { authorization: `Bearer ${OPS_TOKEN}` };
export const TODAY = '2024-11-06T10:00:00+08:00';

export interface Badge {
  readonly badgeId: string;
  readonly attendeeId: string;
  readonly token: string;
}

/**
 * A badge-scanning service of the test's own (expo id, topics, consumer group, signing key) on the
 * real Kafka and Redis, with what registration would have published: the public key, attendees and
 * badges written straight to the test's registration topics.
 */
export async function setupScanning(label: string, env: Record<string, string> = {}, options: { now?: () => number } = {}) {
  const names: TestNames = testNames(label);
  const brokers = env.KAFKA_BROKERS ?? kafkaBrokers();
  const topics: ScanningTopics = await createPlatformTopics(names, ['attendees', 'exhibitors', 'badges', 'badgeKeys', 'zones', 'scans', 'leads'], {
    partitions: 2,
    brokers,
  });
  const keyRing = BadgeKeyRing.generate();
  const kafka = createKafka({ brokers, clientId: 'scanning-test' });
  const registration = new BusProducer(kafka, { source: 'registration', sendTimeoutMs: 30_000 });
  await registration.send(
    topics.badgeKeys,
    keyRing.publicJwks().keys.map((jwk) => ({
      type: 'badge_key.published' as const,
      eventId: names.expoId,
      data: { kid: jwk.kid, jwk, status: 'active' as const, publishedAt: new Date().toISOString() },
    })),
  );
  const config: Config = loadConfig({
    KAFKA_BROKERS: brokers,
    REDIS_URL: env.REDIS_URL ?? redisUrl(),
    ADMIN_TOKENS: ADMIN_TOKEN,
    OPS_TOKENS: OPS_TOKEN,
    EXPO_ID: names.expoId,
    LOG_LEVEL: 'warn',
    ...STATE_TEST_ENV,
    CLOSING_SWEEP_AT: 'off',
    // The tests' scans happen on the expo's days (TODAY), at times across a day.
    SCAN_CLOCK_BOUND_SECONDS: String(24 * 3600),
    ...env,
  });
  // Noted for the checks after the suite (test-after/): the state it leaves must fold from its log.
  await recordSuiteExpo({ service: 'badge-scanning', expoId: config.EXPO_ID, label, kafkaBrokers: brokers, redisUrl: config.REDIS_URL, topics, env });
  const until = async (what: string, check: () => Promise<boolean>) => {
    await vi.waitFor(
      async () => {
        if (!(await check())) throw new Error(`${what} did not reach badge-scanning within 20 s`);
      },
      { timeout: 20_000, interval: 25 },
    );
  };
  // The service's clock runs from TODAY: the scans' device times are in the expo's days.
  const shift = Date.now() - Date.parse(TODAY);
  const clock = options.now ?? (() => Date.now() - shift);
  const apps: ServiceApp[] = [];
  const instance = async (now: () => number = clock) => {
    const app = await buildApp(config, { topics, groupId: names.groupId, now });
    await app.ready();
    apps.push(app);
    await waitUntilReady(app, 'badge-scanning');
    return app;
  };
  const app = await instance();
  await until('the published badge key', async () => (await app.scanning.registry.badgeKeys()).length > 0);

  /** Registers a person as registration would: attendee record, badge record, signed token. */
  /** Waits until the consumer has applied the badges' attendee records. */
  const known = async (badges: readonly Badge[]) => {
    for (const badge of badges) await until('an attendee record', async () => (await app.scanning.registry.person(badge.attendeeId)) !== null);
  };
  const issueBadge = async (
    options: { category?: AttendeeCategory; access?: string[]; from?: string; to?: string; eid?: string; name?: string; country?: string; wait?: boolean } = {},
  ): Promise<Badge> => {
    const attendeeId = `att-${randomUUID()}`;
    const badgeId = `bdg-${randomUUID()}`;
    const category = options.category ?? 'professional_visitor';
    const access = options.access ?? ['venue', 'hall', 'area', 'forum_room'];
    const from = options.from ?? '2024-11-05';
    const to = options.to ?? '2024-11-10';
    await registration.send(topics.attendees, [
      {
        type: 'attendee.registered',
        eventId: names.expoId,
        data: {
          attendeeId,
          category,
          name: options.name ?? 'Amina Njoroge',
          email: `${attendeeId}@example.com`,
          country: (options.country ?? 'KE') as 'KE',
          interests: ['food'],
          days: [],
          badgeId,
          status: 'active',
          registeredAt: new Date().toISOString(),
          changed: ['name'],
        },
      },
    ]);
    await registration.send(topics.badges, [
      {
        type: 'badge.issued',
        eventId: names.expoId,
        data: {
          badgeId,
          attendeeId,
          kid: keyRing.current.kid,
          category,
          access,
          validFrom: from,
          validTo: to,
          issuedAt: new Date().toISOString(),
          status: 'active',
          changed: ['status'],
        },
      },
    ]);
    const token = signBadgeToken({ bid: badgeId, aid: attendeeId, eid: options.eid ?? names.expoId, cat: category, acc: access, from, to }, keyRing.current);
    const badge = { badgeId, attendeeId, token };
    if (options.wait !== false) await known([badge]);
    return badge;
  };
  const issueBadges = async (n: number, options: Parameters<typeof issueBadge>[0] = {}) => {
    const badges = await Promise.all(Array.from({ length: n }, () => issueBadge({ ...options, wait: false })));
    await known(badges);
    return badges;
  };

  const revoke = async (badge: Badge) => {
    await registration.send(topics.badges, [
      {
        type: 'badge.revoked',
        eventId: names.expoId,
        data: {
          badgeId: badge.badgeId,
          attendeeId: badge.attendeeId,
          kid: keyRing.current.kid,
          category: 'professional_visitor',
          access: ['hall'],
          validFrom: '2024-11-05',
          validTo: '2024-11-10',
          issuedAt: new Date().toISOString(),
          status: 'revoked',
          reason: 'lost_or_stolen',
          revokedAt: new Date().toISOString(),
          changed: ['status'],
        },
      },
    ]);
  };

  return {
    names,
    topics,
    keyRing,
    config,
    app,
    instance,
    issueBadge,
    issueBadges,
    revoke,
    registration,
    close: async () => {
      await Promise.all(apps.map((a) => a.close()));
      await registration.disconnect();
    },
  };
}

export type TestScanning = Awaited<ReturnType<typeof setupScanning>>;

/** A venue of the test: zones through the admin API, one gate each with one device. */
export async function defineVenue(
  app: ServiceApp,
  zones: ReadonlyArray<{ zoneId: string; parentId: string | null; capacity?: number | null; antiPassback?: 'strict' | 'soft' | 'off'; kind?: string }>,
) {
  const devices: Record<string, { deviceId: string; deviceKey: string; gateId: string }> = {};
  for (const z of zones) {
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/zones/${z.zoneId}`,
      headers: admin,
      payload: {
        name: `Zone ${z.zoneId}`,
        kind: z.kind ?? (z.parentId === null ? 'venue' : 'hall'),
        parentId: z.parentId,
        capacity: z.capacity ?? null,
        antiPassback: z.antiPassback ?? 'soft',
      },
    });
    if (put.statusCode !== 200) throw new Error(`zone ${z.zoneId}: ${put.body}`);
    const gateId = `gate-${z.zoneId}`;
    const gate = await app.inject({ method: 'PUT', url: `/v1/gates/${gateId}`, headers: admin, payload: { zoneId: z.zoneId, name: `Gate of ${z.zoneId}` } });
    if (gate.statusCode !== 200) throw new Error(`gate ${gateId}: ${gate.body}`);
    const device = await app.inject({ method: 'POST', url: '/v1/devices', headers: admin, payload: { gateId } });
    if (device.statusCode !== 201) throw new Error(`device at ${gateId}: ${device.body}`);
    devices[z.zoneId] = device.json();
  }
  return devices;
}

export function scanBody(badge: Badge | string, direction: 'in' | 'out', scannedAt = TODAY, scanId: string = randomUUID()) {
  return { scanId, badgeToken: typeof badge === 'string' ? badge : badge.token, direction, scannedAt };
}

export function asDevice(device: { deviceKey: string }) {
  return { authorization: `Bearer ${device.deviceKey}` };
}

type ScanEvent = TopicEvent<typeof TOPICS.scans>;

/** Every record on the test's scan topic. */
export async function scanRecords(topics: ScanningTopics, brokers = kafkaBrokers()): Promise<ScanEvent[]> {
  const events: ScanEvent[] = [];
  await readTopicToEnd(createKafka({ brokers, clientId: 'scanning-test' }), topics.scans, (record) => {
    if (record.kind === 'event') events.push(record.event);
  });
  return events;
}
