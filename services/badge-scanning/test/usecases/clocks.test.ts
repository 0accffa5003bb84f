import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@expo/service-kit';
import { asDevice, defineVenue, ops, scanRecords, setupScanning, type TestScanning } from '../helper.ts';

// Clocks (issue 17, item 6): the device's scannedAt is bounded by the service's clock, decision
// times are Redis's (one clock for every instance), and a scan older than the decision memory
// is refused instead of decided afresh with a new record.
let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;
let ahead: ServiceApp;
const MIN = 60_000;

beforeAll(async () => {
  t = await setupScanning('clocks', { SCAN_CLOCK_BOUND_SECONDS: '300', SCAN_MEMORY_SECONDS: '3600' });
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-1', parentId: 'necc' },
  ]);
  // Another instance whose clock is 20 minutes ahead of this one's.
  ahead = await t.instance(() => t.app.scanning.now() + 20 * MIN);
}, 120_000);
afterAll(async () => t.close());

const at = (offsetMs: number) => new Date(t.app.scanning.now() + offsetMs).toISOString();
const body = (badge: { token: string }, offsetMs = 0) => ({ scanId: randomUUID(), badgeToken: badge.token, direction: 'in' as const, scannedAt: at(offsetMs) });
const post = (app: ServiceApp, zone: string, payload: object) => app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices[zone]!), payload });
const batch = (zone: string, scans: object[]) =>
  t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(devices[zone]!), payload: { scans } });
const occupancyOf = async (zone: string) => (await t.app.inject({ url: `/v1/occupancy/${zone}`, headers: ops })).json<{ occupancy: number }>().occupancy;
const recordsOf = async (scanId: string) => (await scanRecords(t.topics)).filter((r) => r.data.scanId === scanId);

describe("the device's clock is bounded by the service's", () => {
  it('refuses an online scan whose device clock is 10 minutes ahead or behind with 400, changing nothing', async () => {
    const badge = await t.issueBadge();
    const before = await occupancyOf('necc');
    for (const offset of [10 * MIN, -10 * MIN]) {
      const payload = body(badge, offset);
      const res = await post(t.app, 'necc', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'scannedAt' }] } });
      expect(await recordsOf(payload.scanId)).toHaveLength(0);
    }
    expect(await occupancyOf('necc')).toBe(before);
    expect((await post(t.app, 'necc', body(badge, -2 * MIN))).json()).toMatchObject({ decision: 'accepted' });
  });

  it('still answers a retry that arrives after the bound with its first decision', async () => {
    const badge = await t.issueBadge();
    const payload = body(badge);
    expect((await post(t.app, 'necc', payload)).json()).toMatchObject({ decision: 'accepted', replayed: false });
    // The instance 20 minutes ahead sees the device time far behind: a replay is answered anyway.
    expect((await post(ahead, 'necc', payload)).json()).toMatchObject({ decision: 'accepted', replayed: true });
  });

  it('refuses an offline scan older than the decision memory with its own message, not decided afresh with a new record', async () => {
    const badge = await t.issueBadge();
    const recent = body(badge, -30 * MIN);
    const forgotten = { ...body(badge, -2 * 60 * MIN), direction: 'out' as const };
    const before = await occupancyOf('hall-1');
    const res = await batch('hall-1', [recent, forgotten]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'scans.1.scannedAt' }] } });
    expect(res.json<{ error: { details: Array<{ message: string }> } }>().error.details[0]!.message).toContain('decision memory');
    expect(await occupancyOf('hall-1')).toBe(before);
    expect(await recordsOf(recent.scanId)).toHaveLength(0);
    const future = await batch('hall-1', [body(badge, 10 * MIN)]);
    expect(future.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'scans.0.scannedAt' }] } });
    expect((await batch('hall-1', [recent])).json()).toMatchObject({ results: [{ decision: 'accepted' }] });
  });
});

describe('decision times are one clock for every instance', () => {
  it('an annulment on an instance whose clock is 20 minutes ahead is still within the 15-minute window', async () => {
    const badge = await t.issueBadge();
    const payload = body(badge);
    expect((await post(t.app, 'hall-1', payload)).json()).toMatchObject({ decision: 'accepted' });
    const annul = await ahead.inject({ method: 'POST', url: `/v1/scans/${payload.scanId}/annul`, headers: asDevice(devices['hall-1']!) });
    expect(annul.statusCode).toBe(200);
    expect(annul.json()).toMatchObject({ annulled: true });
  });
});
