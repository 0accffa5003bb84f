import { randomUUID } from 'node:crypto';
import { metricSamples, metricValue, promtoolCheckMetrics } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toScanInputs, type ScriptedRecord } from './fixtures/scripted-day.ts';
import { setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from './helper.ts';

let t: TestAnalytics;
let app: ServiceApp;
beforeAll(async () => {
  t = await setupAnalytics('metrics');
  app = await t.instance();
});
afterAll(() => t.close());

describe('analytics /metrics', () => {
  it('shows, per topic, how old the last applied scan was when it was applied, and passes promtool', async () => {
    expect(metricSamples((await app.inject('/metrics')).body, 'analytics_lag_seconds')).toEqual([]);
    // One badge's entry and exit an hour ago (a device that was offline), on one partition.
    const hourAgo = Date.now() - 3600_000;
    const move = { badge: 'badge-late', zone: 'hall-1', origin: 'device' as const };
    const records: ScriptedRecord[] = [
      { ...move, kind: 'accepted', at: hourAgo, direction: 'in', from: 'site', to: 'hall-1', scanId: randomUUID(), occupancyAfter: 1 },
      { ...move, kind: 'accepted', at: hourAgo + 60_000, direction: 'out', from: 'hall-1', to: 'site', scanId: randomUUID(), occupancyAfter: 0 },
    ];
    await t.producer.send(t.topics.zones, [zoneDefined(t.names.expoId, 'site', null, null), zoneDefined(t.names.expoId, 'hall-1', 100)]);
    await t.producer.send(t.topics.scans, toScanInputs(t.names.expoId, records));
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);

    const metrics = (await app.inject('/metrics')).body;
    const lag = metricValue(metrics, 'analytics_lag_seconds', { topic: t.topics.scans.name });
    // At least the age of the later scan; far less than two hours.
    expect(lag).toBeGreaterThanOrEqual(3540);
    expect(lag).toBeLessThan(7200);
    expect(metricValue(metrics, 'service_ready')).toBe(1);
    expect(metricValue(metrics, 'state_whole')).toBe(1);
    expect(await promtoolCheckMetrics(metrics)).toEqual({ exitCode: 0, problems: [] });
  }, 60_000);
});
