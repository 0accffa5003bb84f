import { createKafka, SendTimeoutError, type BusProducer } from '@expo/bus';
import { kafkaBrokers } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localDateFormatter } from '@expo/badges';
import type { ServiceApp } from '@expo/service-kit';
import { scanningKeys } from '../../src/store/keys.ts';
import { closingSweepPass } from '../../src/usecases/closing-sweep.ts';
import { reconcile } from '../../src/usecases/reconcile.ts';
import { admin, asDevice, defineVenue, ops, scanBody, scanRecords, setupScanning, type TestScanning } from '../helper.ts';

// Faults between a decision's script and Kafka's acknowledgement of its records (issue 17, items
// 2-4): a decision is answered only once its records are in Kafka, a write of unknown fate is kept
// and written again with the same ids, and annulment and sweep records have ids of their own.
let t: TestScanning;
let other: ServiceApp;
let devices: Awaited<ReturnType<typeof defineVenue>>;

beforeAll(async () => {
  t = await setupScanning('unconfirmed', { OUTBOX_GRACE_MS: '500', OUTBOX_INTERVAL_MS: '100' });
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-1', parentId: 'necc' },
  ]);
  other = await t.instance();
}, 120_000);
afterAll(async () => t.close());

const realProducer = () => t.app.scanning.producer;
/** The instance dies between its script and Kafka: the write never happens, nor is answered. */
const dead = { send: () => new Promise(() => undefined) } as unknown as BusProducer;
function withProducer(app: ServiceApp, producer: BusProducer): () => void {
  const scanning = app.scanning as { producer: BusProducer };
  const was = scanning.producer;
  scanning.producer = producer;
  return () => {
    scanning.producer = was;
  };
}
/** Kafka takes the records, but the acknowledgement is lost: the send times out. */
function ackLost(real: BusProducer): BusProducer {
  return {
    send: async (contract: { name: string }, records: unknown[]) => {
      await real.send(contract as never, records as never);
      throw new SendTimeoutError(contract.name, 1500);
    },
  } as unknown as BusProducer;
}

const post = (app: ServiceApp, zone: string, body: object) =>
  app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices[zone]!), payload: body });
const occupancyOf = async (zone: string) => (await t.app.inject({ url: `/v1/occupancy/${zone}`, headers: ops })).json<{ occupancy: number }>().occupancy;
const recordsOf = async (scanId: string) => (await scanRecords(t.topics)).filter((r) => r.data.scanId === scanId);
async function drift() {
  const keys = scanningKeys(t.names.expoId);
  const report = await reconcile(
    { redis: t.app.redis, keys, kafka: createKafka({ brokers: kafkaBrokers(), clientId: 'unconfirmed-test' }), topics: t.topics, expoId: t.names.expoId },
    false,
  );
  return { zones: report.zones.filter((z) => z.drift !== 0), misplacedBadges: report.misplacedBadges };
}
async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!done(value)) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      return value;
    },
    { timeout: ms, interval: 100 },
  );
}

describe('a decision is answered only once its records are in Kafka', () => {
  it('a replay of a decision whose instance died before Kafka had its records writes them, then answers', async () => {
    const badge = await t.issueBadge();
    const body = scanBody(badge, 'in');
    const restore = withProducer(t.app, dead);
    void post(t.app, 'necc', body);
    await eventually(
      'the decision',
      () => t.app.scanning.scans.read(body.scanId),
      (d) => d !== null,
    );
    restore();
    // (the dead request never answers; the device asks the other instance)
    const res = await post(other, 'necc', body);
    expect(res.json()).toMatchObject({ decision: 'accepted', replayed: true });
    const records = await recordsOf(body.scanId);
    expect(records.filter((r) => r.type === 'scan.accepted')).not.toHaveLength(0);
    expect(new Set(records.map((r) => r.id)).size).toBe(1);
    expect(await drift()).toEqual({ zones: [], misplacedBadges: 0 });
  }, 60_000);

  it('a decision whose request died before Kafka had its records is written by the outbox without any retry', async () => {
    const badge = await t.issueBadge();
    const body = scanBody(badge, 'in');
    const before = await occupancyOf('hall-1');
    const restore = withProducer(t.app, dead);
    void post(t.app, 'hall-1', body);
    await eventually(
      'the decision',
      () => t.app.scanning.scans.read(body.scanId),
      (d) => d !== null,
    );
    restore();
    // Nobody asks again: the outbox writes the records the state already counts (both instances'
    // outboxes may: the same records, with the same ids).
    const records = await eventually(
      'the records',
      () => recordsOf(body.scanId),
      (r) => new Set(r.map((e) => e.id)).size === 2,
    );
    expect([...new Set(records.map((r) => r.data.zoneId))].sort()).toEqual(['hall-1', 'necc']);
    expect(await occupancyOf('hall-1')).toBe(before + 1);
    expect(await eventually('no drift', drift, (d) => d.zones.length === 0 && d.misplacedBadges === 0)).toEqual({ zones: [], misplacedBadges: 0 });
    expect(await t.app.scanning.scans.unconfirmedCount()).toBe(0);
  }, 60_000);
});

describe('an ambiguous produce is not a failure', () => {
  it('a produce that timed out after Kafka took the records keeps the decision: the badge scanned again is not counted twice', async () => {
    const badge = await t.issueBadge();
    const before = await occupancyOf('necc');
    const restore = withProducer(t.app, ackLost(realProducer()));
    const first = await post(t.app, 'necc', scanBody(badge, 'in'));
    restore();
    expect(first.statusCode).toBe(503);
    // The device gave up on that scan and the visitor is scanned again: once the first decision's
    // records are confirmed (the outbox), the new scan is decided on top of it.
    const again = await eventually(
      'a new scan of the badge',
      () => post(t.app, 'necc', scanBody(badge, 'in')),
      (r) => r.statusCode === 200,
    );
    expect(again.json()).toMatchObject({ decision: 'accepted' });
    expect(await occupancyOf('necc')).toBe(before + 1);
    expect(await drift()).toEqual({ zones: [], misplacedBadges: 0 });
  }, 60_000);
});

describe('annulment and sweep records have ids of their own', () => {
  it('an annulment written again after a lost acknowledgement subtracts once', async () => {
    const badge = await t.issueBadge();
    const body = scanBody(badge, 'in');
    expect((await post(t.app, 'hall-1', body)).json()).toMatchObject({ decision: 'accepted' });
    const annul = () => t.app.inject({ method: 'POST', url: `/v1/scans/${body.scanId}/annul`, headers: asDevice(devices['hall-1']!) });
    const restore = withProducer(t.app, ackLost(realProducer()));
    expect((await annul()).statusCode).toBe(503);
    restore();
    expect((await annul()).json()).toMatchObject({ annulled: true });
    const annulments = (await recordsOf(body.scanId)).filter((r) => r.type === 'scan.annulled');
    expect(annulments.length).toBeGreaterThanOrEqual(1);
    expect(new Set(annulments.map((r) => r.id)).size).toBe(1);
    expect(await drift()).toEqual({ zones: [], misplacedBadges: 0 });
  }, 60_000);

  it('a closing sweep killed midway is resumed by another instance, each badge swept out once', async () => {
    const badges = await t.issueBadges(3);
    for (const b of badges) expect((await post(t.app, 'hall-1', scanBody(b, 'in'))).json()).toMatchObject({ decision: 'accepted' });
    const config = { CLOSING_SWEEP_AT: '00:00', EXPO_TIME_ZONE: t.config.EXPO_TIME_ZONE } as const;
    const log = { info: () => undefined, error: () => undefined };
    const dying = closingSweepPass({ ...t.app.scanning, producer: dead }, config, log, { leaseMs: 300 });
    void dying();
    await eventually(
      'the swept state',
      () => occupancyOf('necc'),
      (n) => n === 0,
    );
    await new Promise((r) => setTimeout(r, 400));
    await closingSweepPass(other.scanning, config, log, { leaseMs: 300 })();
    const sweeps = (await scanRecords(t.topics)).filter((r) => r.type === 'scan.accepted' && r.data.origin === 'sweep');
    for (const b of badges) {
      const own = sweeps.filter((r) => r.data.badgeId === b.badgeId);
      expect(new Set(own.map((r) => r.id)).size).toBe(2);
      expect(new Set(own.map((r) => r.data.scanId)).size).toBe(1);
    }
    const today = localDateFormatter(t.config.EXPO_TIME_ZONE)(new Date(t.app.scanning.now()));
    expect(await t.app.redis.hexists(scanningKeys(t.names.expoId).sweptDays(), today)).toBe(1);
    expect(await drift()).toEqual({ zones: [], misplacedBadges: 0 });
  }, 60_000);

  it('two sweeps on one day: a badge swept out, back inside and swept out again has two sweeps in the log', async () => {
    // (the chaos suite's simulated days all fall on one real day: its day-end sweeps did this)
    const badge = await t.issueBadge();
    const sweep = async () => expect((await t.app.inject({ method: 'POST', url: '/v1/sweep', headers: admin })).statusCode).toBe(200);
    expect((await post(t.app, 'necc', scanBody(badge, 'in'))).json()).toMatchObject({ decision: 'accepted' });
    await sweep();
    expect((await post(t.app, 'necc', scanBody(badge, 'in'))).json()).toMatchObject({ decision: 'accepted' });
    await sweep();
    expect(await occupancyOf('necc')).toBe(0);
    expect(await drift()).toEqual({ zones: [], misplacedBadges: 0 });
    const sweeps = (await scanRecords(t.topics)).filter((r) => r.type === 'scan.accepted' && r.data.origin === 'sweep' && r.data.badgeId === badge.badgeId);
    expect(new Set(sweeps.map((r) => r.id)).size).toBe(2);
  }, 60_000);
});
