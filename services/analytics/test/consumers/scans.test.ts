import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DwellResponse, FootfallResponse } from '@expo/schemas';
import type { ServiceApp } from '@expo/service-kit';
import type { Summary } from '../../src/routes/v1/summary.ts';
import type { LiveZone } from '../../src/store/analytics-store.ts';
import { DAY_CAPACITY, DAY_ZONES, scriptedDay, toScanInputs, type ScriptedRecord } from '../fixtures/scripted-day.ts';
import { expectedDwellMinutes, expectedFootfall, expectedSummary, nearestRank } from '../fixtures/expected.ts';
import { ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../helper.ts';

// 2024-11-05 in Shanghai (UTC+8) starts at 2024-11-04T16:00Z.
const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');
const TEN_YEARS_MS = String(10 * 365 * 24 * 3600 * 1000);

describe('a scripted day of scans', () => {
  let t: TestAnalytics;
  let app: ServiceApp;
  let records: ScriptedRecord[];

  beforeAll(async () => {
    // The day is in the past: a grace period long enough that every record lands in its bucket.
    t = await setupAnalytics('scripted-day', { LATE_GRACE_MS: TEN_YEARS_MS });
    records = scriptedDay(300, DAY_START);
    await t.producer.send(t.topics.zones, [
      zoneDefined(t.names.expoId, 'site', null, null),
      ...DAY_ZONES.map((z) => zoneDefined(t.names.expoId, z, DAY_CAPACITY[z]!)),
    ]);
    await t.producer.send(t.topics.scans, toScanInputs(t.names.expoId, records));
    app = await t.instance();
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, t.topics.zones.name);
  });
  afterAll(() => t.close());

  const get = async <T>(url: string): Promise<T> => {
    const response = await app.inject({ url, headers: ops });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  const range = `from=${encodeURIComponent(new Date(DAY_START).toISOString())}&to=${encodeURIComponent(new Date(DAY_START + 86_400_000).toISOString())}`;

  it("has every zone's 1-minute and 1-hour footfall as computed from the records", async () => {
    for (const zone of DAY_ZONES) {
      const minute = await get<FootfallResponse>(`/v1/footfall?zoneId=${zone}&bucket=1m&${range}`);
      expect(minute.buckets).toEqual(expectedFootfall(records, zone, 1));
      const hour = await get<FootfallResponse>(`/v1/footfall?zoneId=${zone}&bucket=1h&${range}`);
      expect(hour.buckets.map((b) => [b.in, b.out, b.peakOccupancy])).toEqual(expectedFootfall(records, zone, 60).map((b) => [b.in, b.out, b.peakOccupancy]));
      // Unique visitors are HyperLogLog counts: exact at these sizes in practice, within 2 % by design.
      const hourUniques = expectedFootfall(records, zone, 60).map((b) => b.uniqueVisitors);
      hour.buckets.forEach((b, i) => expect(Math.abs(b.uniqueVisitors - hourUniques[i]!)).toBeLessThanOrEqual(Math.ceil(hourUniques[i]! * 0.02)));
    }
  });

  it('sums the day: scans by decision and reason, peaks, unique visitors', async () => {
    const expected = expectedSummary(records);
    const summary = await get<Summary>(`/v1/summary?date=${DAY}`);
    expect(summary.scans.accepted).toBe(expected.accepted);
    expect(summary.scans.rejected).toBe(expected.rejected);
    for (const [reason, n] of Object.entries(summary.scans.rejectedByReason)) expect(n).toBe(expected.byReason[reason] ?? 0);
    expect(summary.peakOccupancy).toEqual(expected.peaks);
    expect(Math.abs(summary.uniqueVisitors - expected.uniqueVisitors)).toBeLessThanOrEqual(Math.ceil(expected.uniqueVisitors * 0.02));
    expect(summary.late).toBe(0);
  });

  it('folds live occupancy like badge-scanning, and lists every zone with its capacity', async () => {
    const expected = expectedSummary(records).occupancy;
    const live = await get<{ zones: LiveZone[] }>('/v1/live');
    for (const zone of DAY_ZONES) {
      expect(live.zones.find((z) => z.zoneId === zone)).toMatchObject({ occupancy: expected.get(zone) ?? 0, capacity: DAY_CAPACITY[zone], unknown: false });
    }
  });

  it('measures dwell from entry/exit pairs', async () => {
    for (const zone of DAY_ZONES) {
      const minutes = expectedDwellMinutes(records, zone);
      const dwell = await get<DwellResponse>(`/v1/dwell?zoneId=${zone}&date=${DAY}`);
      expect(dwell.visits).toBe(minutes.length);
      expect(dwell.medianMinutes).toBe(nearestRank(minutes, 0.5));
      expect(dwell.p90Minutes).toBe(nearestRank(minutes, 0.9));
      expect(dwell.bins.find((b) => b.fromMinutes === 30)?.visits).toBe(minutes.filter((m) => m >= 30 && m < 60).length);
    }
  });

  it('exports the same footfall as CSV', async () => {
    const { parse } = await import('csv-parse/sync');
    const response = await app.inject({ url: `/v1/export/footfall.csv?zoneId=hall-1&bucket=5m&${range}`, headers: ops });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows: Array<Record<string, string>> = parse(response.body, { columns: true });
    const expected = expectedFootfall(records, 'hall-1', 5);
    expect(rows).toHaveLength(expected.length);
    expect(rows[0]).toEqual({
      zoneId: 'hall-1',
      start: expected[0]!.start,
      in: String(expected[0]!.in),
      out: String(expected[0]!.out),
      peakOccupancy: String(expected[0]!.peakOccupancy),
      uniqueVisitors: String(expected[0]!.uniqueVisitors),
    });
    expect(rows.reduce((s, r) => s + Number(r.in), 0)).toBe(expected.reduce((s, r) => s + r.in, 0));
  });

  it('does not count a record twice when it is delivered again', async () => {
    const before = await get<Summary>(`/v1/summary?date=${DAY}`);
    // Another group of the same expo re-reads every record: all of them are already marked applied.
    const again = await t.instance({ CONSUMER_GROUP: `${t.config.CONSUMER_GROUP}-replay` });
    await waitForConsumed(`${t.config.CONSUMER_GROUP}-replay.scans`, t.topics.scans.name);
    await again.close();
    expect(await get<Summary>(`/v1/summary?date=${DAY}`)).toEqual(before);
    const live = await get<{ zones: LiveZone[] }>('/v1/live');
    expect(live.zones.find((z) => z.zoneId === 'hall-1')?.occupancy).toBe(expectedSummary(records).occupancy.get('hall-1'));
  });

  it('counts a record written to the log twice (a resend: same id, next offset) once', async () => {
    const before = await get<Summary>(`/v1/summary?date=${DAY}`);
    const occupancy = async () => (await get<{ zones: LiveZone[] }>('/v1/live')).zones.find((z) => z.zoneId === 'hall-3')?.occupancy ?? 0;
    const inside = await occupancy();
    const entry: ScriptedRecord = {
      kind: 'accepted',
      at: DAY_START + 12 * 3600_000,
      badge: 'badge-resent',
      zone: 'hall-3',
      direction: 'in',
      from: null,
      to: 'hall-3',
      origin: 'device',
      scanId: 'resent-1',
      occupancyAfter: 1,
    };
    const record = { ...toScanInputs(t.names.expoId, [entry])[0]!, id: randomUUID() };
    // Two writes, two offsets: the log position passes the second, its envelope id does not.
    await t.producer.send(t.topics.scans, [record]);
    await t.producer.send(t.topics.scans, [record]);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
    expect((await get<Summary>(`/v1/summary?date=${DAY}`)).scans.accepted).toBe(before.scans.accepted + 1);
    expect(await occupancy()).toBe(inside + 1);
  });
});
