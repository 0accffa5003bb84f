import { stateKeys } from '@expo/service-kit';
import { connectRedis, metricSamples, metricValue, promtoolCheckMetrics, waitForReadiness } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDevice, defineVenue, scanBody, setupScanning, type TestScanning } from './helper.ts';

let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;
const redis = connectRedis();

beforeAll(async () => {
  t = await setupScanning('metrics');
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-a', parentId: 'necc', capacity: 100 },
    { zoneId: 'vip', parentId: 'necc', kind: 'vip_lounge' },
  ]);
});
afterAll(async () => {
  await t.close();
  redis.disconnect();
});

const scrape = async () => (await t.app.inject('/metrics')).body;
const scans = (labels: Record<string, string>) => async () => metricValue(await scrape(), 'scans_total', labels);

describe('badge-scanning /metrics', () => {
  it('counts an accepted and a rejected online scan by decision, reason, gate kind and mode', async () => {
    const [visitor] = await t.issueBadges(1, { access: ['venue', 'hall'] });
    const inNecc = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices.necc!), payload: scanBody(visitor!, 'in') });
    expect(inNecc.json()).toMatchObject({ decision: 'accepted' });
    const inVip = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices.vip!), payload: scanBody(visitor!, 'in') });
    expect(inVip.json()).toMatchObject({ decision: 'rejected', reason: 'zone_not_allowed' });

    expect(await scans({ decision: 'accepted', reason: 'none', gate_kind: 'venue', mode: 'online' })()).toBe(1);
    expect(await scans({ decision: 'rejected', reason: 'zone_not_allowed', gate_kind: 'vip_lounge', mode: 'online' })()).toBe(1);
  });

  it('observes an offline batch: its size, each scan’s lateness, its decisions as offline', async () => {
    const badges = await t.issueBadges(3);
    // Two hours before the service's clock (which runs from TODAY): lateness of two hours and a bit.
    const body = { scans: badges.map((b, i) => scanBody(b, 'in', `2024-11-06T08:0${i}:00+08:00`)) };
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(devices['hall-a']!), payload: body });
    expect(res.statusCode).toBe(200);

    const metrics = await scrape();
    expect(metricValue(metrics, 'scan_batch_size_count')).toBe(1);
    expect(metricValue(metrics, 'scan_batch_size_sum')).toBe(3);
    expect(metricValue(metrics, 'scan_batch_lateness_seconds_count')).toBe(3);
    expect(metricValue(metrics, 'scan_batch_lateness_seconds_bucket', { le: '3600' })).toBe(0);
    expect(metricValue(metrics, 'scan_batch_lateness_seconds_bucket', { le: '10800' })).toBe(3);
    expect(metricValue(metrics, 'scans_total', { decision: 'accepted', reason: 'none', gate_kind: 'hall', mode: 'offline' })).toBe(3);
  });

  it('shows each zone’s occupancy and capacity from Redis, nothing while the state is fenced, and passes promtool', async () => {
    const metrics = await scrape();
    // necc: the visitor of the first test and the three of the batch (their entry into necc inferred).
    expect(
      metricSamples(metrics, 'zone_occupancy')
        .map((s) => [s.labels.zone, s.value])
        .sort(),
    ).toEqual([
      ['hall-a', 3],
      ['necc', 4],
      ['vip', 0],
    ]);
    expect(metricSamples(metrics, 'zone_capacity').map((s) => [s.labels.zone, s.value])).toEqual([['hall-a', 100]]);
    expect(metricValue(metrics, 'service_ready')).toBe(1);
    expect(metricValue(metrics, 'http_request_duration_seconds_count', { route: '/v1/scans/batch', status_code: '200' })).toBe(1);
    expect(await promtoolCheckMetrics(metrics)).toEqual({ exitCode: 0, problems: [] });

    // The state lost while another holds the rebuild lease: fenced until the lease is freed.
    const keys = stateKeys(t.config.EXPO_ID, 'scan');
    await redis.set(keys.lease, 'held-by-the-test');
    await redis.del(keys.marker);
    await waitForReadiness(t.app, 503);
    // Once the probe found it lost and the lease taken (the readiness check looks at the marker sooner).
    await expect
      .poll(() => t.app.stateLifecycle.status, { timeout: 10_000, interval: 20, message: 'the state lifecycle did not wait for the lease' })
      .toBe('waiting');
    const fenced = await scrape();
    expect(metricSamples(fenced, 'zone_occupancy')).toEqual([]);
    expect(metricSamples(fenced, 'zone_capacity')).toEqual([]);
    expect(metricValue(fenced, 'service_ready')).toBe(0);
    expect(metricValue(fenced, 'state_whole')).toBe(0);
    expect(metricValue(fenced, 'state_rebuild_running')).toBe(0);
    expect(await promtoolCheckMetrics(fenced)).toEqual({ exitCode: 0, problems: [] });

    await redis.del(keys.lease);
    await waitForReadiness(t.app, 200);
    const rebuilt = await scrape();
    expect(metricValue(rebuilt, 'zone_occupancy', { zone: 'necc' })).toBe(4);
    expect(metricValue(rebuilt, 'state_rebuilds_total', { outcome: 'done' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(rebuilt, 'state_rebuild_running')).toBe(0);
  }, 60_000);
});
