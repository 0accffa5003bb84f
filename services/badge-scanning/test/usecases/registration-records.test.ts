import { createKafka } from '@expo/bus';
import type { ServiceApp } from '@expo/service-kit';
import { DedicatedRedis, kafkaBrokers } from '@expo/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDevice, defineVenue, scanBody, setupScanning, type TestScanning } from '../helper.ts';

// Redis of the test's own: it is made to refuse writes, which would fail every other test.
let redis: DedicatedRedis;
let t: TestScanning | undefined;
beforeAll(async () => {
  redis = await DedicatedRedis.start();
}, 60_000);
afterAll(async () => {
  await t?.close();
  await redis.close();
});

async function recordsIn(topic: string): Promise<number> {
  const admin = createKafka({ brokers: kafkaBrokers(), clientId: 'scanning-consumer-test' }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

async function retries(app: ServiceApp, reason: string): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  const line = text.split('\n').find((l) => l.startsWith('bus_consumer_retries_total{') && l.includes(`reason="${reason}"`));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('registration records', () => {
  it('a badge revocation that Redis refuses for memory (maxmemory, noeviction) is retried until applied, not dead-lettered: the badge is then refused at the gate', async () => {
    t = await setupScanning('scan-revoke-oom', { REDIS_URL: redis.url });
    const devices = await defineVenue(t.app, [{ zoneId: 'necc', parentId: null }]);
    const badge = await t.issueBadge();

    const control = new Redis(redis.url);
    try {
      await control.config('SET', 'maxmemory', '1');
      await t.revoke(badge);
      // Long enough for the old policy: three attempts, the dead letter and a commit past it.
      await expect
        .poll(() => retries(t!.app, 'redis_oom'), { timeout: 20_000, interval: 200 })
        .toBeGreaterThanOrEqual(3)
        .catch(() => undefined);
      expect(await recordsIn(`${t.topics.badges.name}.dlq`)).toBe(0);
    } finally {
      await control.config('SET', 'maxmemory', '0');
      control.disconnect();
    }
    await expect.poll(() => t!.app.scanning.registry.isRevoked(badge.badgeId), { timeout: 20_000 }).toBe(true);
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices['necc']!), payload: scanBody(badge, 'in') });
    expect(res.json()).toMatchObject({ decision: 'rejected', reason: 'revoked' });
    expect(await recordsIn(`${t.topics.badges.name}.dlq`)).toBe(0);
  }, 120_000);
});
