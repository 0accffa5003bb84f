import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKafka, on } from '@expo/bus';
import { SERVICE_REDIS_ACCESS, serviceAclUsers, TOPICS, type TopicEvent, type TopicEventInput } from '@expo/schemas';
import {
  DedicatedRedis,
  makeTlsCerts,
  startDedicatedKafka,
  STATE_TEST_ENV,
  testNames,
  waitUntilReady,
  type DedicatedKafka,
  type TlsCerts,
} from '@expo/testkit';
import {
  baseConfigShape,
  ConfigError,
  createRedisClient,
  expoKey,
  kafkaConnectionFrom,
  kafkaPlugin,
  loadConfig,
  loadLuaDir,
  probeState,
  redisPlugin,
  RebuildLease,
  redisConnectionFrom,
  registerServiceResources,
  ScriptRunner,
  stateKeys,
  whenReady,
  type RedisClient,
} from '../src/index.ts';
import { buildTestApp } from './helper.ts';

// TLS against a real redis-server and a real Kafka broker (issue 21): a throwaway certificate
// authority signs both servers' certificates; the service's clients are built from its config
// variables (REDIS_URL=rediss://…, REDIS_TLS_CA_FILE, KAFKA_SSL, KAFKA_SSL_CA_FILE) as services
// build them. Redis has the services' ACL users; Kafka is the secured mode (SCRAM, ACLs) on SASL_SSL.

const schema = z.object({ ...baseConfigShape, SERVICE_NAME: z.string().default('registration'), EXPO_ID: z.string() });
const REGISTRATION_LUA = fileURLToPath(new URL('../../../services/registration/src/lua', import.meta.url));
const KIT_LUA = loadLuaDir(fileURLToPath(new URL('../src/lua', import.meta.url)));
const SEGMENT = SERVICE_REDIS_ACCESS.registration.segment;

let certs: TlsCerts;
let redis: DedicatedRedis;
let kafka: DedicatedKafka;
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  certs = await makeTlsCerts();
  const server = { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile };
  const keystore = { keystoreFile: certs.keystoreFile, keystorePassword: certs.keystorePassword, caFile: certs.caFile };
  [redis, kafka] = await Promise.all([
    DedicatedRedis.start({ acl: { users: serviceAclUsers() }, tls: server }),
    startDedicatedKafka({ secured: {}, tls: keystore }),
  ]);
}, 90_000);
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await Promise.all([redis?.close(), kafka?.destroy()]);
  certs?.remove();
});

/** The variables of the registration service on these servers; `without` leaves some out. */
function env(expoId: string, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'registration',
    KAFKA_SASL_PASSWORD: kafka.credentials!.passwords.registration,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: certs.caFile,
    REDIS_URL: redis.userUrl('registration'),
    REDIS_TLS_CA_FILE: certs.caFile,
    EXPO_ID: expoId,
    ...STATE_TEST_ENV,
    ...overrides,
  };
}

function client(connection: Parameters<typeof createRedisClient>[0]): RedisClient {
  const redisClient = createRedisClient({ ...connection, commandTimeoutMs: 5000 });
  closers.push(() => redisClient.disconnect());
  return redisClient;
}

describe('Redis over TLS', () => {
  it('runs the state lifecycle and a service script over rediss:// as the service’s ACL user, trusting REDIS_TLS_CA_FILE', async () => {
    const { expoId } = testNames('tls-redis');
    const config = loadConfig(schema, env(expoId));
    expect(config.REDIS_URL).toMatch(/^rediss:\/\/registration:/);
    const redisClient = client(redisConnectionFrom(config));
    expect(await whenReady(redisClient, 5000)).toBe(true);

    const keys = stateKeys(expoId, SEGMENT);
    const judged = await probeState(redisClient, keys.marker);
    const lease = await RebuildLease.acquire(new ScriptRunner(redisClient, KIT_LUA), keys, 10_000, 'registration', '');
    await lease!.finish('epoch-tls', judged.now);
    expect((await probeState(redisClient, keys.marker)).verdict).toEqual({ whole: true, epoch: 'epoch-tls' });

    const scripts = new ScriptRunner(redisClient, loadLuaDir(REGISTRATION_LUA), keys);
    const key = expoKey(expoId, SEGMENT, 'idem', 'tls-1');
    expect(await scripts.run('idempotency-begin', [key], ['hash-1', 60])).toBeNull();
    expect(JSON.parse(await scripts.run<string>('idempotency-begin', [key], ['hash-1', 60]))).toEqual({ state: 'pending', bodyHash: 'hash-1' });
  });

  it('refuses a client that does not trust the authority, at the handshake: a certificate error, no command', async () => {
    const errors: Error[] = [];
    const untrusting = client({ url: redis.userUrl('registration') });
    untrusting.on('error', (error: Error) => errors.push(error));
    expect(await whenReady(untrusting, 1500)).toBe(false);
    await expect(untrusting.ping()).rejects.toThrow();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });

    // Plain TCP is off on a TLS-only server: a redis:// client gets no answer either.
    const plain = client({ url: redis.userUrl('registration').replace(/^rediss:/, 'redis:'), connectTimeoutMs: 500 });
    plain.on('error', () => undefined);
    expect(await whenReady(plain, 1500)).toBe(false);
  });

  it('without the authority, the service starts and /readyz names the untrusted certificate and REDIS_TLS_CA_FILE', async () => {
    const config = loadConfig(schema, env('x', { REDIS_TLS_CA_FILE: undefined }));
    const { app } = await buildTestApp({ name: 'registration' });
    closers.push(() => app.close());
    await app.register(redisPlugin, { ...redisConnectionFrom(config), startupWaitMs: 500 });
    await app.ready();
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json<{ checks: unknown[] }>().checks).toEqual([
      {
        name: 'redis',
        status: 'failed',
        detail:
          "Redis's TLS certificate is not trusted (self-signed certificate in certificate chain): set REDIS_TLS_CA_FILE to the certificate authority that signed it",
      },
    ]);
  });

  it('says a REDIS_TLS_CA_FILE without a rediss:// REDIS_URL is a mistake', () => {
    const config = () => loadConfig(schema, env('x', { REDIS_URL: 'redis://127.0.0.1:6380' }));
    expect(config).toThrow(ConfigError);
    expect(config).toThrow(/REDIS_TLS_CA_FILE: is set, but REDIS_URL is not rediss:\/\//);
  });
});

const attendee = (expoId: string, attendeeId: string): TopicEventInput<typeof TOPICS.attendees> => ({
  type: 'attendee.registered',
  eventId: expoId,
  data: {
    attendeeId,
    category: 'professional_visitor',
    name: 'Amina Njoroge',
    email: 'amina@example.co.ke',
    country: 'KE',
    interests: [],
    days: [],
    badgeId: `badge-${attendeeId}`,
    status: 'active',
    registeredAt: new Date().toISOString(),
    changed: [],
  },
});

describe('Kafka over TLS (SASL_SSL)', () => {
  beforeAll(async () => {
    // Provisioned by the admin user, through the same variables a service reads.
    const admin = loadConfig(schema, env('x', { KAFKA_SASL_USERNAME: 'admin', KAFKA_SASL_PASSWORD: kafka.credentials!.passwords.admin }));
    const client = createKafka({ ...kafkaConnectionFrom(admin), clientId: 'tls-provision' }).admin();
    await client.connect();
    try {
      await client.createTopics({
        waitForLeaders: true,
        topics: [TOPICS.attendees.name, `${TOPICS.attendees.name}.dlq`].map((topic) => ({ topic, numPartitions: 1 })),
      });
    } finally {
      await client.disconnect();
    }
  }, 30_000);

  it('a service on TLS Redis and TLS Kafka turns ready, produces and consumes through the bus', async () => {
    const { expoId } = testNames('tls-service');
    const config = loadConfig(schema, env(expoId));
    const seen: Array<TopicEvent<typeof TOPICS.attendees>> = [];
    const { app } = await buildTestApp({ name: 'registration' });
    closers.push(() => app.close());
    // What every service registers first (service-resources.ts): Redis, Kafka, the state lifecycle.
    await registerServiceResources(app, config, {
      name: 'registration',
      keySegment: SEGMENT,
      luaDir: new URL(`file://${REGISTRATION_LUA}/`),
      consumers: () => [{ groupId: 'registration.tls-test', handlers: [on(TOPICS.attendees, async (event) => void seen.push(event))] }],
      // A service script over the rebuild's own connection (a duplicate of the TLS one).
      rebuild: async (run) => ({ claimed: await run.scripts.run('idempotency-begin', [expoKey(expoId, SEGMENT, 'idem', 'rebuild')], ['h', 60]) }),
    });
    await app.ready();
    await waitUntilReady(app, 'registration on TLS', 30_000);
    const readyz = (await app.inject('/readyz')).json<{ checks: Array<{ name: string; status: string }> }>();
    expect(readyz.checks).toEqual(
      expect.arrayContaining([
        { name: 'redis', status: 'ok' },
        { name: 'kafka', status: 'ok' },
        { name: 'registration-state', status: 'ok' },
      ]),
    );

    await app.producer.send(TOPICS.attendees, [attendee(expoId, 'a-tls-1')]);
    await expect.poll(() => seen.map((e) => e.data.attendeeId), { timeout: 20_000 }).toEqual(['a-tls-1']);
  });

  it('without the authority, the service starts and /readyz names the untrusted certificate and KAFKA_SSL_CA_FILE', async () => {
    const config = loadConfig(schema, env('x', { KAFKA_SSL_CA_FILE: undefined }));
    const { app, logs } = await buildTestApp({ name: 'registration' });
    closers.push(() => app.close());
    await app.register(kafkaPlugin, { ...kafkaConnectionFrom(config), source: 'registration', expoId: 'x' });
    await app.ready();
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    const check = response.json<{ checks: Array<{ name: string; status: string; detail?: string }> }>().checks.find((c) => c.name === 'kafka');
    expect(check).toEqual({
      name: 'kafka',
      status: 'failed',
      detail:
        "Kafka's TLS certificate is not trusted (self-signed certificate in certificate chain): set KAFKA_SSL_CA_FILE to the certificate authority that signed it",
    });
    expect(logs.text()).not.toContain(kafka.credentials!.passwords.registration);
  });
});
