import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RunningRedis } from '@expo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDevice, defineVenue, ops, scanBody, setupScanning, type TestScanning } from '../helper.ts';

let redis: RunningRedis;
let port: number;
let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;
const dataDir = mkdtempSync(join(tmpdir(), 'scanning-redis-'));

beforeAll(async () => {
  redis = await startRedis({ dataDir, ownerPid: process.pid });
  port = Number(redis.url.split(':').at(-1));
  t = await setupScanning('redis-outage', { REDIS_URL: redis.url });
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-7', parentId: 'necc', capacity: 500 },
  ]);
}, 120_000);
afterAll(async () => {
  await t.close();
  await redis.stop();
});

const post = (body: object) => t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices['necc']!), payload: body });

describe('Redis unreachable', () => {
  it('answers 503 within 2 s and counts nothing; a Redis that returns empty is rebuilt from the log before scanning resumes', async () => {
    const badges = await t.issueBadges(4);
    for (const b of badges.slice(0, 2)) expect((await post(scanBody(b, 'in'))).json()).toMatchObject({ decision: 'accepted' });

    await redis.stop();
    for (const b of badges.slice(2)) {
      const started = Date.now();
      const res = await post(scanBody(b, 'in'));
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeLessThan(2000);
    }
    expect((await t.app.inject('/readyz')).statusCode).toBe(503);

    // Nothing is persisted: Redis comes back empty and the service rebuilds it from Kafka.
    redis = await startRedis({ dataDir, ownerPid: process.pid, port });
    await expect
      .poll(async () => (await t.app.inject('/readyz')).statusCode, {
        timeout: 60_000,
        interval: 200,
        message: 'badge-scanning was not ready within 60 s of Redis coming back',
      })
      .toBe(200);
    const occupancy = (await t.app.inject({ url: '/v1/occupancy/necc', headers: ops })).json<{ occupancy: number }>();
    expect(occupancy.occupancy).toBe(2);
    for (const b of badges.slice(2))
      expect((await post(scanBody(b, 'in'))).json()).toMatchObject({ decision: 'accepted', badge: { displayName: 'Amina Njoroge' } });
    expect((await t.app.inject({ url: '/v1/occupancy/necc', headers: ops })).json()).toMatchObject({ occupancy: 4 });
  }, 120_000);
});
