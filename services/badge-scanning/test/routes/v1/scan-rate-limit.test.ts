import { connectRedis, metricValue } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asDevice, defineVenue, ops, scanBody, scanRecords, setupScanning, type TestScanning } from '../../helper.ts';

const SCANS_PER_MINUTE = 5;
const BATCHES_PER_MINUTE = 2;

let t: TestScanning;
const redis = connectRedis();

beforeAll(async () => {
  t = await setupScanning('scan-rate-limit', {
    SCAN_RATE_LIMIT_PER_MINUTE: String(SCANS_PER_MINUTE),
    SCAN_BATCH_RATE_LIMIT_PER_MINUTE: String(BATCHES_PER_MINUTE),
  });
  await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-1', parentId: 'necc' },
  ]);
});
afterAll(async () => {
  await t.close();
  redis.disconnect();
});

/** A device of its own for each test, so each starts with a fresh per-minute count. */
async function newDevice(gateId = 'gate-necc') {
  const res = await t.app.inject({ method: 'POST', url: '/v1/devices', headers: admin, payload: { gateId } });
  expect(res.statusCode).toBe(201);
  return res.json<{ deviceId: string; deviceKey: string }>();
}

const occupancyOf = async (zoneId: string) => (await t.app.inject({ url: `/v1/occupancy/${zoneId}`, headers: ops })).json<{ occupancy: number }>().occupancy;
const metric = async (name: string, route: string) => metricValue((await t.app.inject('/metrics')).body, name, { route });

describe('per-device rate limit on POST /v1/scans', () => {
  it('answers 429 with Retry-After and the error body over the limit, and records nothing of that scan', async () => {
    const device = await newDevice();
    const badges = await t.issueBadges(SCANS_PER_MINUTE + 1);
    const limitedBefore = await metric('rate_limited_total', '/v1/scans');
    for (const badge of badges.slice(0, SCANS_PER_MINUTE)) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(device), payload: scanBody(badge, 'in') });
      expect(res.json()).toMatchObject({ decision: 'accepted' });
    }
    const occupancy = await occupancyOf('necc');
    const over = scanBody(badges[SCANS_PER_MINUTE]!, 'in');
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(device), payload: over });
    expect(res.statusCode).toBe(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining(`more than ${SCANS_PER_MINUTE} requests`), details: [] } });
    expect(await t.app.scanning.scans.read(over.scanId)).toBeNull();
    expect(await occupancyOf('necc')).toBe(occupancy);
    expect((await scanRecords(t.topics)).filter((r) => r.data.scanId === over.scanId)).toEqual([]);
    expect(await metric('rate_limited_total', '/v1/scans')).toBe(limitedBefore! + 1);
    // The counter is the device's, under the service's own key prefix, and expires with its minute.
    const key = `{${t.names.expoId}}:scan:ratelimit:${device.deviceId}:scans`;
    expect(Number(await redis.get(key))).toBe(SCANS_PER_MINUTE + 1);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000);
  });

  it('does not limit another device at the same gate, nor the same device on another route', async () => {
    const [busy, other] = [await newDevice(), await newDevice()];
    const badges = await t.issueBadges(SCANS_PER_MINUTE + 2);
    for (const badge of badges.slice(0, SCANS_PER_MINUTE))
      await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(busy), payload: scanBody(badge, 'in') });
    expect(
      (await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(busy), payload: scanBody(badges[SCANS_PER_MINUTE]!, 'in') })).statusCode,
    ).toBe(429);
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(other), payload: scanBody(badges[SCANS_PER_MINUTE]!, 'in') });
    expect(res.json()).toMatchObject({ decision: 'accepted' });
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/scans/batch',
      headers: asDevice(busy),
      payload: { scans: [scanBody(badges[SCANS_PER_MINUTE + 1]!, 'in')] },
    });
    expect(batch.json()).toMatchObject({ results: [{ decision: 'accepted' }] });
  });

  it('holds across two instances sharing Redis: the device’s requests count together', async () => {
    const second = await t.instance();
    const device = await newDevice();
    const badges = await t.issueBadges(SCANS_PER_MINUTE + 2);
    const statuses: number[] = [];
    for (const [i, badge] of badges.entries()) {
      const res = await (i % 2 === 0 ? t.app : second).inject({ method: 'POST', url: '/v1/scans', headers: asDevice(device), payload: scanBody(badge, 'in') });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([...Array<number>(SCANS_PER_MINUTE).fill(200), 429, 429]);
    const limited = badges.slice(SCANS_PER_MINUTE).map((b) => b.badgeId);
    expect((await scanRecords(t.topics)).filter((r) => limited.includes(r.data.badgeId))).toEqual([]);
    // Each instance counts the refusals it answered.
    expect(await metric('rate_limited_total', '/v1/scans')).toBeGreaterThanOrEqual(1);
    expect(metricValue((await second.inject('/metrics')).body, 'rate_limited_total', { route: '/v1/scans' })).toBe(1);
  });

  it('lets scans through when the limiter’s Redis check fails, and counts each such check', async () => {
    const device = await newDevice();
    // A real Redis error on the limiter's key only (WRONGTYPE): the scans' own keys are untouched.
    const key = `{${t.names.expoId}}:scan:ratelimit:${device.deviceId}:scans`;
    await redis.hset(key, 'broken', '1');
    const failedBefore = (await metric('rate_limit_check_failures_total', '/v1/scans'))!;
    const badges = await t.issueBadges(SCANS_PER_MINUTE + 2);
    for (const badge of badges) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(device), payload: scanBody(badge, 'in') });
      expect(res.json()).toMatchObject({ decision: 'accepted' });
    }
    expect(await metric('rate_limit_check_failures_total', '/v1/scans')).toBe(failedBefore + badges.length);
    await redis.del(key);
  });
});

describe('per-device rate limit on POST /v1/scans/batch', () => {
  it('counts batch requests: the one over the limit is 429 and none of its scans is decided', async () => {
    const device = await newDevice('gate-hall-1');
    const badges = await t.issueBadges(3 * (BATCHES_PER_MINUTE + 1));
    const batches = Array.from({ length: BATCHES_PER_MINUTE + 1 }, (_, i) =>
      badges.slice(3 * i, 3 * i + 3).map((b) => scanBody(b, 'in', '2024-11-06T09:30:00+08:00')),
    );
    for (const scans of batches.slice(0, BATCHES_PER_MINUTE)) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(device), payload: { scans } });
      expect(res.statusCode).toBe(200);
    }
    const occupancy = await occupancyOf('hall-1');
    const over = batches[BATCHES_PER_MINUTE]!;
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(device), payload: { scans: over } });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
    for (const scan of over) expect(await t.app.scanning.scans.read(scan.scanId)).toBeNull();
    expect(await occupancyOf('hall-1')).toBe(occupancy);
    const overIds = over.map((s) => s.scanId);
    expect((await scanRecords(t.topics)).filter((r) => overIds.includes(r.data.scanId))).toEqual([]);
    expect(await metric('rate_limited_total', '/v1/scans/batch')).toBe(1);
  });
});
