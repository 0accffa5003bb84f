import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAFKA_ADMIN_USER } from '@expo/schemas';
import { devExpo, devExpoEnv } from '../src/dev-expo.ts';
import { devSecrets, devServiceEnv } from '../src/dev-secrets.ts';
import { adminKafkaEnv, devSecurity, serviceCredentialsEnv } from '../src/dev-security.ts';
import { createKafka } from '../src/kafka/client.ts';
import { freePort } from '../src/ports.ts';
import { REDIS_PASSWORDS_FILE } from '../src/redis/acl.ts';
import { discoverServices, startServices, stopServices, waitForReady, type RunningService } from '../src/services.ts';
import { adminConnection, localKafkaDir, provisionTopics, startInfra, type Infra } from '../src/stack.ts';

// `pnpm dev`'s platform is secured by default (issue 21). Its infrastructure is started here as
// `dev` starts it (devSecurity, then startInfra, the topic table provisioned as the admin) and
// registration and badge-scanning with the environment `dev` gives each (serviceCredentialsEnv):
// a visitor registers and is scanned in, while badge-scanning's own credentials are refused
// registration's topic and matchmaking's keys.

const dataDir = mkdtempSync(join(tmpdir(), 'expo-dev-security-'));
const SERVICES = ['registration', 'badge-scanning'] as const;
type Name = (typeof SERVICES)[number];
let infra: Infra;
const running: RunningService[] = [];
const urls = {} as Record<Name, string>;
const envs = {} as Record<Name, NodeJS.ProcessEnv>;
const secrets = devSecrets(dataDir);
const expo = devExpo(dataDir);

/** The environment of an operator with no Kafka or Redis configured (the services' env vars of this run left out). */
function operatorEnv(): NodeJS.ProcessEnv {
  const { KAFKA_BROKERS: _k, REDIS_URL: _r, EXPO_KAFKA_NODES: _n, EXPO_REDIS_CLUSTER: _c, ...env } = process.env;
  return env;
}

const admin = { authorization: `Bearer ${secrets.adminToken}`, 'content-type': 'application/json' };

async function call(url: string, method: string, body: unknown, headers: Record<string, string> = admin): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** kafkajs as the service's own Kafka user, from the variables `dev` gave it. */
function kafkaAs(env: NodeJS.ProcessEnv) {
  const password = readFileSync(env.KAFKA_SASL_PASSWORD_FILE!, 'utf8').trim();
  return createKafka(
    { brokers: infra.kafkaBrokers, clientId: `as-${env.KAFKA_SASL_USERNAME}` },
    { sasl: { mechanism: 'scram-sha-512', username: env.KAFKA_SASL_USERNAME!, password }, retry: { retries: 0 } },
  );
}

/** The Kafka error code under kafkajs's wrappers, or the message. */
function refusal(error: unknown): string {
  for (let e = error as { type?: string; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.type === 'string') return e.type;
  }
  return String((error as Error | undefined)?.message ?? error);
}

beforeAll(async () => {
  const started = Date.now();
  const options = { dataDir, ownerPid: process.pid, env: operatorEnv() };
  infra = await startInfra({ ...options, ...devSecurity(options) });
  await provisionTopics(infra.kafkaBrokers, { connection: adminConnection(infra) });
  const shared = {
    ...operatorEnv(),
    ...devServiceEnv(dataDir, secrets),
    ...devExpoEnv(expo),
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    LOG_LEVEL: 'info',
  };
  const services = discoverServices().filter((s) => (SERVICES as readonly string[]).includes(s.name));
  const taken: number[] = [];
  for (const service of services) {
    const port = await freePort(taken);
    taken.push(port);
    const name = service.name as Name;
    envs[name] = { ...shared, ...serviceCredentialsEnv(infra, name) };
    urls[name] = `http://127.0.0.1:${port}`;
    running.push(...startServices([service], envs[name], join(dataDir, 'logs'), { [name]: port }));
  }
  const ready = await Promise.all(running.map((s) => waitForReady(Number(new URL(urls[s.name as Name]).port), 90_000)));
  expect(ready, `not ready: see ${running.map((s) => s.logFile).join(', ')}`).toEqual([true, true]);
  console.log(`secured infra and two services ready in ${Date.now() - started} ms`);
}, 150_000);

afterAll(async () => {
  await stopServices(running);
  await infra?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("pnpm dev's platform, secured by default", () => {
  it('gives each service its own Kafka user (the password in a file of its own) and its own Redis user', () => {
    const scanning = envs['badge-scanning'];
    expect(scanning).toMatchObject({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'badge-scanning' });
    expect(scanning.KAFKA_SASL_PASSWORD).toBeUndefined();
    expect(statSync(scanning.KAFKA_SASL_PASSWORD_FILE!).mode & 0o077).toBe(0);
    expect(new URL(scanning.REDIS_URL!).username).toBe('badge-scanning');
    expect(new URL(envs.registration.REDIS_URL!).username).toBe('registration');
    expect(envs.registration.KAFKA_SASL_PASSWORD_FILE).not.toBe(scanning.KAFKA_SASL_PASSWORD_FILE);
    expect(adminKafkaEnv(infra)).toMatchObject({ KAFKA_SASL_USERNAME: KAFKA_ADMIN_USER });
    expect(new URL(infra.redisUrl).username).toBe('admin');
  });

  it("serves a scan, while badge-scanning's credentials cannot write registration's badges nor read matchmaking's keys", async () => {
    const scanning = urls['badge-scanning'];
    expect(
      (await call(`${scanning}/v1/zones/expo-venue`, 'PUT', { name: 'Venue', kind: 'venue', parentId: null, capacity: null, antiPassback: 'soft' })).status,
    ).toBe(200);
    expect((await call(`${scanning}/v1/gates/gate-venue`, 'PUT', { zoneId: 'expo-venue', name: 'Main gate' })).status).toBe(200);
    const device = await call(`${scanning}/v1/devices`, 'POST', { gateId: 'gate-venue' });
    expect(device.status).toBe(201);
    const registered = await call(`${urls.registration}/v1/attendees`, 'POST', {
      category: 'professional_visitor',
      name: 'Secured Visitor',
      email: `visitor-${randomUUID()}@example.com`,
      country: 'CN',
      consent: true,
    });
    expect(registered.status).toBe(201);
    const { badgeToken } = registered.body as { badgeToken: string };
    const asDevice = { authorization: `Bearer ${(device.body as { deviceKey: string }).deviceKey}` };
    const scan = { scanId: randomUUID(), badgeToken, direction: 'in', scannedAt: new Date().toISOString() };
    // badge-scanning learns registration's signing key from its topic: until then a fresh badge may wait.
    await expect
      .poll(async () => (await call(`${scanning}/v1/scans`, 'POST', scan, asDevice)).body, { timeout: 30_000, interval: 500 })
      .toMatchObject({ decision: 'accepted', zoneId: 'expo-venue' });

    const kafkaAdmin = createKafka({ brokers: infra.kafkaBrokers, clientId: 'dev-security-admin' }, adminConnection(infra)).admin();
    await kafkaAdmin.connect();
    const badgesEnd = async () => (await kafkaAdmin.fetchTopicOffsets('registration.badges.v1')).map((p) => p.high).join(',');
    const before = await badgesEnd();
    const producer = kafkaAs(envs['badge-scanning']).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const forged = await producer
      .send({ topic: 'registration.badges.v1', acks: -1, messages: [{ key: 'forged', value: 'forged' }] })
      .then(() => 'written', refusal);
    await producer.disconnect();
    expect(forged).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await badgesEnd()).toBe(before);
    await kafkaAdmin.disconnect();

    const redis = new Redis(envs['badge-scanning'].REDIS_URL!, { maxRetriesPerRequest: 1 });
    try {
      await expect(redis.get('{ciie-2024}:mm:meeting:m-1')).rejects.toThrow(/NOPERM/);
      await expect(redis.get('{ciie-2024}:reg:attendee:a-1')).rejects.toThrow(/NOPERM/);
      expect(await redis.exists('{ciie-2024}:scan:anything')).toBe(0);
    } finally {
      redis.disconnect();
    }
    // The default user is off: a connection without a user and password is refused every command.
    const anonymous = new Redis(Number(new URL(infra.redisUrl).port), { lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null });
    anonymous.on('error', () => undefined);
    await anonymous.connect();
    await expect(anonymous.get('{ciie-2024}:scan:anything')).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
  }, 60_000);

  it('keeps every password out of the services logs', () => {
    const passwords = [
      ...Object.values(infra.kafka!.credentials!.passwords),
      ...Object.values(JSON.parse(readFileSync(join(dataDir, 'redis', REDIS_PASSWORDS_FILE), 'utf8')) as Record<string, string>),
    ];
    const logs = readdirSync(join(dataDir, 'logs')).map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8'));
    expect(logs.join('').length).toBeGreaterThan(0);
    for (const password of passwords) expect(logs.every((log) => !log.includes(password))).toBe(true);
  });

  it('refuses to secure a broker folder an unsecured run formatted, and says what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'expo-dev-security-old-'));
    try {
      mkdirSync(join(localKafkaDir(dir), 'kraft-logs'), { recursive: true });
      writeFileSync(join(localKafkaDir(dir), 'kraft-logs', 'meta.properties'), 'cluster.id=AAAAAAAAAAAAAAAAAAAAAA\n');
      expect(() => devSecurity({ dataDir: dir, env: operatorEnv() })).toThrow(/pnpm dev --reset.*pnpm dev --insecure/);
      // What the developer already points at (infra:up, KAFKA_BROKERS and REDIS_URL) is used as it is.
      expect(devSecurity({ dataDir: dir, env: { ...operatorEnv(), KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6380' } })).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
