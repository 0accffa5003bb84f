import { describe, expect, it } from 'vitest';
import { planExpo } from '../../src/seed/seed-plan.ts';
import { DEMO_SIZE } from '../../src/seed/sizes.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { fakeSeedState } from './fake-seed-state.ts';
import { recordedTransport, type RecordedMeetings } from './recorded-transport.ts';

const plan = planExpo(1, DEMO_SIZE);
const state = fakeSeedState(plan);
const run = async (steps: number, concurrency = 1) => {
  const transport = recordedTransport();
  const result = await simulate({ transport, plan, state, steps, concurrency, behaviour: { offlineShare: 0.3 } });
  return { transport, result };
};

describe('the simulator on a recorded transport', () => {
  it('takes exactly the steps asked for and says the same things for the same seed', async () => {
    const a = await run(1500);
    const b = await run(1500);
    expect(a.result.truth.steps).toBe(1500);
    const trace = (t: typeof a.transport) => t.scans.map((s) => `${s.deviceKey} ${s.scan.direction} ${s.scan.scannedAt} ${s.batch}`);
    expect(trace(b.transport)).toEqual(trace(a.transport));
  });

  it('sends each person through gates in time order, and uploads offline scans in batches later', async () => {
    const { transport, result } = await run(3000, 4);
    const online = transport.scans.filter((s) => !s.batch);
    const batched = transport.scans.filter((s) => s.batch);
    expect(result.truth.scans.posted).toBe(online.length + batched.length);
    expect(result.truth.scans.offlineUploaded).toBe(batched.length);
    expect(batched.length).toBeGreaterThan(0);
    expect(result.truth.scans.pendingOffline).toBe(0);
    const last = new Map<string, string>();
    for (const { scan } of online) {
      expect(scan.scannedAt >= (last.get(scan.badgeToken) ?? '')).toBe(true);
      last.set(scan.badgeToken, scan.scannedAt);
    }
  });

  it('lets people leave by doors without scanners, and the belief heals with inferred moves', async () => {
    const { result } = await run(3000);
    expect(result.truth.scans.unscannedExits).toBeGreaterThan(0);
    const inferred =
      Object.values(result.truth.entries).reduce((n, e) => n + e.inferred, 0) + Object.values(result.truth.exits).reduce((n, e) => n + e.inferred, 0);
    expect(inferred).toBeGreaterThan(0);
    expect(result.truth.meetings.skipped).toMatch(/does not answer/);
  });

  it('splits the truth by venue day of the scans', async () => {
    const { result } = await run(7000);
    const days = result.truth.days;
    expect(Object.keys(days).sort()).toEqual(['2024-11-05', '2024-11-06']);
    expect(Object.values(days).reduce((n, d) => n + d.accepted, 0)).toBe(result.truth.scans.accepted);
    expect(days['2024-11-05']!.entries.necc!.uniqueBadges).toBeGreaterThan(250);
    expect(result.truth.sweeps).toBe(1);
  });

  it('starts with a morning peak at the venue gates', async () => {
    const { transport } = await run(600);
    const entries = transport.scans.filter((s) => s.deviceKey.startsWith('key-necc-') && s.scan.direction === 'in');
    const hours = entries.map((s) => new Date(Date.parse(s.scan.scannedAt) + 8 * 3600_000).getUTCHours());
    expect(hours.filter((h) => h >= 8 && h <= 10).length / hours.length).toBeGreaterThan(0.9);
  });
});

describe('buyers and exhibitors on a recorded transport', () => {
  it('request, answer, get scheduled and report outcomes, and the truth counts what was answered', async () => {
    const meetings: RecordedMeetings = { requests: [], answers: [], outcomes: [], status: new Map() };
    const transport = recordedTransport(meetings);
    const { truth } = await simulate({ transport, plan, state, steps: 7000, concurrency: 2 });
    expect(truth.meetings.skipped).toBeNull();
    expect(truth.meetings.requested).toBe(meetings.requests.length);
    expect(truth.meetings.requested).toBeGreaterThan(5);
    expect(meetings.requests.every((r) => r.requestedBy === 'buyer' && r.sessionId === plan.session.sessionId)).toBe(true);
    expect(truth.meetings.accepted).toBe(meetings.answers.filter((a) => a.accept).length);
    expect(truth.meetings.declined).toBe(meetings.answers.filter((a) => !a.accept).length);
    expect(truth.meetings.held + truth.meetings.noShow).toBe(meetings.outcomes.length);
    expect(truth.meetings.held).toBeGreaterThan(0);
    expect(truth.meetings.intendedDealUsd).toBe(meetings.outcomes.reduce((sum, o) => sum + (o.intendedDealUsd ?? 0), 0));
    expect(meetings.outcomes.every((o) => o.held || o.intendedDealUsd === undefined)).toBe(true);
    const pairs = meetings.requests.map((r) => `${r.buyerId}:${r.exhibitorId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });
});
