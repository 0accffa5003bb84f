// `pnpm --filter @expo/analytics bench:rebuild`: how long analytics takes to be whole again after
// Redis lost an expo of CIIE size. Every topic it folds is written straight to Kafka: a venue of 20
// halls, BENCH_REBUILD_ATTENDEES (430,000) attendees with their badges, BENCH_REBUILD_EXHIBITORS
// (3,496) exhibitors, BENCH_REBUILD_MEETINGS (5,000) meetings (half with an earlier record of the
// request) and BENCH_REBUILD_SCANS (1,000,000) scan records of one peak day. The service then
// starts on an empty Redis and is timed from its start to /readyz (the state lifecycle's refold of
// every topic). The day's summary and footfall are then compared with the figures the generator
// counted. Figures go to bench/results/rebuild.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusProducer, createKafka, definitionFor, HEADER_SCHEMA_VERSION, HEADER_TYPE } from '@expo/bus';
import { freePort, metricValue, peakRssMb, provisionTopics, serviceDir, startInfra, startService, stopService, waitReady } from '@expo/infra';
import { SECTOR_AREA_CODES, TOPICS, type AttendeeCategory, type MeetingStatus, type RejectionReason, type TopicContract } from '@expo/schemas';
import type { Summary } from '../src/routes/v1/summary.ts';

const ATTENDEES = Number(process.env.BENCH_REBUILD_ATTENDEES ?? 430_000);
const EXHIBITORS = Number(process.env.BENCH_REBUILD_EXHIBITORS ?? 3_496);
const MEETINGS = Number(process.env.BENCH_REBUILD_MEETINGS ?? 5_000);
const SCANS = Number(process.env.BENCH_REBUILD_SCANS ?? 1_000_000);
const HALLS = Array.from({ length: 20 }, (_, i) => `hall-${i + 1}`);
const DATE = '2024-11-06';
/** 08:30 venue time (UTC+8); the day's scans span ten hours from there. */
const DAY_START = Date.parse(`${DATE}T00:30:00Z`);
const SERVICE_DIR = serviceDir('analytics');
const OPS = 'bench-ops-token-0123456789ab';
const COUNTRIES = ['CN', 'US', 'DE', 'JP', 'FR', 'IT', 'KE', 'BR', 'KR', 'AU', 'ET', 'MY'] as const;
const REJECTIONS: readonly RejectionReason[] = ['already_inside', 'zone_not_allowed', 'not_valid_today', 'capacity_full'];
const REGISTERED_AT = '2024-09-01T08:00:00+08:00';
const log = (line: string) => console.log(`[bench] ${line}`);

type Message = Parameters<BusProducer['sendRaw']>[1][number];

/** A record as its producer writes it: recorded a moment after it happened, as on a normal day (not late). */
function envelope(type: string, expoId: string, occurredAt: string, data: object, key: string): Message {
  const recordedAt = new Date(Date.parse(occurredAt) + 1500).toISOString();
  const value = JSON.stringify({ id: randomUUID(), type, schemaVersion: 1, eventId: expoId, source: 'bench', occurredAt, recordedAt, data });
  return { key, value, headers: { [HEADER_TYPE]: type, [HEADER_SCHEMA_VERSION]: '1' } };
}

/** Fails on the first message of a chunk its topic's contract would not read (the bench writes raw JSON, not through zod). */
function assertReadable(contract: TopicContract, messages: readonly Message[]): void {
  for (const message of messages.slice(0, 20)) {
    const json = JSON.parse(String(message.value)) as { type: string };
    const parsed = definitionFor(contract, json.type)?.envelope.safeParse(json);
    if (!parsed?.success) throw new Error(`a ${json.type} record the service would not read: ${parsed?.error.message ?? 'unknown type'}`);
  }
}

const changed = (snapshot: object) => ({ ...snapshot, changed: Object.keys(snapshot) });
const sectors = (i: number, n: number) => Array.from({ length: n }, (_, k) => SECTOR_AREA_CODES[(i + k) % SECTOR_AREA_CODES.length]!);
const categoryOf = (i: number): AttendeeCategory =>
  i % 10 === 0 ? 'buyer' : i % 10 === 1 ? 'exhibitor_staff' : i % 100 === 2 ? 'media' : 'professional_visitor';

/** What the generator wrote, as the day's summary and footfall should show it. */
interface Expected {
  registrationsByCategory: Record<string, number>;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  visitors: Set<string>;
  peaks: Map<string, number>;
  entries: Map<string, number>;
  meetingsByStatus: Record<string, number>;
  turnoverUsd: number;
  productDebuts: number;
}

function zoneRecords(expoId: string): Message[] {
  const zone = (zoneId: string, parentId: string | null, kind: string) =>
    envelope(
      'zone.defined',
      expoId,
      REGISTERED_AT,
      changed({ zoneId, name: zoneId, kind, parentId, capacity: parentId ? 20_000 : null, antiPassback: 'soft', gates: [] }),
      zoneId,
    );
  return [zone('necc', null, 'venue'), ...HALLS.map((h) => zone(h, 'necc', 'hall'))];
}

function* registrationChunks(expoId: string, expected: Expected): Generator<[string, Message[]]> {
  for (let from = 0; from < ATTENDEES; from += 5000) {
    const attendees: Message[] = [];
    const badges: Message[] = [];
    for (let i = from; i < Math.min(ATTENDEES, from + 5000); i++) {
      const [attendeeId, badgeId, category] = [`att_b${i}`, `bdg_b${i}`, categoryOf(i)];
      expected.registrationsByCategory[category] = (expected.registrationsByCategory[category] ?? 0) + 1;
      const attendee = {
        attendeeId,
        category,
        name: `Visitor ${i}`,
        email: `visitor${i}@example.com`,
        country: COUNTRIES[i % COUNTRIES.length]!,
        interests: sectors(i, 1 + (i % 3)),
        days: [],
        badgeId,
        status: 'active',
        registeredAt: REGISTERED_AT,
      };
      attendees.push(envelope('attendee.registered', expoId, REGISTERED_AT, changed(attendee), attendeeId));
      const badge = {
        badgeId,
        attendeeId,
        kid: 'bench-key',
        category,
        access: ['venue', 'hall'],
        validFrom: '2024-11-05',
        validTo: '2024-11-10',
        issuedAt: REGISTERED_AT,
        status: 'active',
      };
      badges.push(envelope('badge.issued', expoId, REGISTERED_AT, changed(badge), badgeId));
    }
    yield [TOPICS.attendees.name, attendees];
    yield [TOPICS.badges.name, badges];
  }
}

function exhibitorRecords(expoId: string, expected: Expected): Message[] {
  return Array.from({ length: EXHIBITORS }, (_, i) => {
    const products = Array.from({ length: 3 }, (_, p) => ({
      productId: `prd_b${i}_${p}`,
      name: `Product ${p} of exhibitor ${i}`,
      sectors: sectors(i + p, 1),
      debut: (i + p) % 7 === 0,
    }));
    expected.productDebuts += products.filter((p) => p.debut).length;
    const exhibitor = {
      exhibitorId: `exh_b${i}`,
      name: `Exhibitor ${i}`,
      country: COUNTRIES[(i * 5) % COUNTRIES.length]!,
      sectors: sectors(i, 2),
      hall: `${1 + (i % 8)}.1`,
      booth: `B${i}`,
      fortuneGlobal500: i % 12 === 0,
      leastDevelopedCountry: i % 25 === 0,
      products,
    };
    return envelope('exhibitor.registered', expoId, REGISTERED_AT, changed(exhibitor), exhibitor.exhibitorId);
  });
}

const FINAL_STATUS: readonly MeetingStatus[] = [
  'requested',
  'declined',
  'accepted',
  'expired',
  'held',
  'held',
  'no_show',
  'cancelled',
  'scheduled',
  'scheduled',
];

/** Each meeting's latest record counts; half also have an earlier `meeting.requested` record before it. */
function meetingRecords(expoId: string, expected: Expected): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < MEETINGS; i++) {
    const status = FINAL_STATUS[i % FINAL_STATUS.length]!;
    const base = {
      meetingId: `mtg_b${i}`,
      buyerId: `att_b${10 * (i % Math.max(1, Math.floor(ATTENDEES / 10)))}`,
      exhibitorId: `exh_b${i % EXHIBITORS}`,
      requestedBy: 'buyer',
      requestedAt: REGISTERED_AT,
    };
    if (i % 2 === 0 && status !== 'requested')
      out.push(envelope('meeting.requested', expoId, REGISTERED_AT, changed({ ...base, status: 'requested', updatedAt: REGISTERED_AT }), base.meetingId));
    const deal = status === 'held' ? { intendedDealUsd: 10_000 + (i % 100) * 1_000 } : {};
    const slot = ['scheduled', 'held', 'no_show'].includes(status)
      ? { sessionId: 'ses_b0', slot: { start: '2024-11-06T02:00:00.000Z', end: '2024-11-06T02:30:00.000Z' }, tableId: `tbl_${i}` }
      : {};
    out.push(
      envelope(
        `meeting.${status}`,
        expoId,
        '2024-11-05T08:00:00+08:00',
        changed({ ...base, ...slot, ...deal, status, updatedAt: '2024-11-05T08:00:00+08:00' }),
        base.meetingId,
      ),
    );
    expected.meetingsByStatus[status] = (expected.meetingsByStatus[status] ?? 0) + 1;
    expected.turnoverUsd += deal.intendedDealUsd ?? 0;
  }
  return out;
}

interface Move {
  readonly from: string | null;
  readonly to: string | null;
  readonly zone: string;
  readonly direction: 'in' | 'out';
}

/** Outside: into the venue. In the venue: into a hall, or one in seven leaves. In a hall: back out. */
function nextMove(at: string | undefined, random: () => number): Move {
  if (at === undefined) return { from: null, to: 'necc', zone: 'necc', direction: 'in' };
  if (at !== 'necc') return { from: at, to: 'necc', zone: at, direction: 'out' };
  if (random() < 0.15) return { from: 'necc', to: null, zone: 'necc', direction: 'out' };
  const hall = HALLS[Math.floor(random() * HALLS.length)]!;
  return { from: 'necc', to: hall, zone: hall, direction: 'in' };
}

/**
 * A peak day as badge-scanning records it: visitors arrive in the venue, walk in and out of halls
 * and leave, each record one step through one gate with the zone's count after it, in time order;
 * one scan in forty is turned away (no move). `expected` counts what the summary should show.
 */
function* scanChunks(expoId: string, expected: Expected): Generator<[string, Message[]]> {
  const occupancy = new Map<string, number>();
  const where = new Map<string, string>();
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  let chunk: Message[] = [];
  for (let n = 0; n < SCANS; n++) {
    const i = Math.floor(random() * ATTENDEES);
    const [badgeId, attendeeId] = [`bdg_b${i}`, `att_b${i}`];
    const move = nextMove(where.get(badgeId), random);
    const scannedAt = new Date(DAY_START + Math.floor((n / SCANS) * 10 * 3_600_000)).toISOString();
    const common = {
      scanId: randomUUID(),
      badgeId,
      attendeeId,
      deviceId: `dev-${move.zone}`,
      gateId: `${move.zone}-gate`,
      zoneId: move.zone,
      fromZoneId: move.from,
      toZoneId: move.to,
      direction: move.direction,
      category: categoryOf(i),
      country: COUNTRIES[i % COUNTRIES.length]!,
      scannedAt,
      flags: { inferred: false, offline: false },
      origin: 'device',
    };
    if (random() < 0.025) {
      const reason = REJECTIONS[n % REJECTIONS.length]!;
      expected.rejected++;
      expected.rejectedByReason[reason] = (expected.rejectedByReason[reason] ?? 0) + 1;
      const data = { ...common, occupancyAfter: occupancy.get(move.zone) ?? 0, decision: 'rejected', reason };
      chunk.push(envelope('scan.rejected', expoId, scannedAt, data, badgeId));
    } else {
      if (move.to === null) where.delete(badgeId);
      else where.set(badgeId, move.to);
      if (move.from) occupancy.set(move.from, (occupancy.get(move.from) ?? 1) - 1);
      if (move.to) occupancy.set(move.to, (occupancy.get(move.to) ?? 0) + 1);
      const occupancyAfter = Math.max(0, occupancy.get(move.zone) ?? 0);
      expected.accepted++;
      expected.peaks.set(move.zone, Math.max(expected.peaks.get(move.zone) ?? 0, occupancyAfter));
      if (move.direction === 'in') {
        expected.visitors.add(attendeeId);
        expected.entries.set(move.zone, (expected.entries.get(move.zone) ?? 0) + 1);
      }
      chunk.push(envelope('scan.accepted', expoId, scannedAt, { ...common, occupancyAfter, decision: 'accepted', reason: null }, badgeId));
    }
    if (chunk.length === 5000) {
      yield [TOPICS.scans.name, chunk];
      chunk = [];
    }
  }
  if (chunk.length > 0) yield [TOPICS.scans.name, chunk];
}

function* chunked(topic: string, messages: readonly Message[], size = 500): Generator<[string, Message[]]> {
  for (let i = 0; i < messages.length; i += size) yield [topic, messages.slice(i, i + size)];
}

/** Writes with four requests in flight; the first chunk of each topic is checked against its contract. */
async function fill(producer: BusProducer, sends: Iterable<[string, Message[]]>): Promise<void> {
  const contracts = new Map<string, TopicContract>(Object.values(TOPICS).map((t): [string, TopicContract] => [t.name, t]));
  const checked = new Set<string>();
  const inFlight: Array<Promise<void>> = [];
  for (const [topic, chunk] of sends) {
    if (!checked.has(topic)) assertReadable(contracts.get(topic)!, chunk);
    checked.add(topic);
    inFlight.push(producer.sendRaw(topic, chunk));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

const same = (a: Record<string, number>, b: Record<string, number>) => Object.keys({ ...a, ...b }).every((k) => (a[k] ?? 0) === (b[k] ?? 0));

/** The day's summary and one zone's footfall against what was written: only a whole refold matches them. */
async function checkState(port: number, expected: Expected): Promise<Check[]> {
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${OPS}` } });
  const res = await get(`/v1/summary?date=${DATE}`);
  const s = (await res.json()) as Summary;
  const figure = (what: string, ok: boolean, got: unknown, want: unknown): Check => ({
    what: `GET /v1/summary?date=${DATE}: ${what}`,
    ok: res.status === 200 && ok,
    detail: `${JSON.stringify(got)} (expected ${JSON.stringify(want)})`,
  });
  const peaks = Object.fromEntries(s.peakOccupancy?.map((p) => [p.zoneId, p.peakOccupancy]) ?? []);
  const checks = [
    figure(
      'registrationsByCategory',
      same(s.registrationsByCategory, expected.registrationsByCategory),
      s.registrationsByCategory,
      expected.registrationsByCategory,
    ),
    figure('funnel registered and badged', s.funnel?.registered === ATTENDEES && s.funnel.badgeIssued === ATTENDEES, s.funnel, {
      registered: ATTENDEES,
      badgeIssued: ATTENDEES,
    }),
    figure(
      'scans accepted and rejected',
      s.scans.accepted === expected.accepted && s.scans.rejected === expected.rejected && same(s.scans.rejectedByReason, expected.rejectedByReason),
      s.scans,
      { accepted: expected.accepted, rejected: expected.rejected },
    ),
    figure('uniqueVisitors', s.uniqueVisitors === expected.visitors.size, s.uniqueVisitors, expected.visitors.size),
    figure('peakOccupancy', same(peaks, Object.fromEntries(expected.peaks)), peaks.necc, expected.peaks.get('necc')),
    figure('meetingsByStatus', same(s.meetingsByStatus, expected.meetingsByStatus), s.meetingsByStatus, expected.meetingsByStatus),
    figure(
      'intendedTurnoverUsd and productDebuts',
      s.intendedTurnoverUsd === expected.turnoverUsd && s.productDebuts === expected.productDebuts,
      [s.intendedTurnoverUsd, s.productDebuts],
      [expected.turnoverUsd, expected.productDebuts],
    ),
  ];
  // The venue's entries over the day, 24 hourly buckets of venue time.
  const footfall = await get(`/v1/footfall?zoneId=necc&bucket=1h&from=2024-11-05T16:00:00Z&to=2024-11-06T16:00:00Z`);
  const entries = ((await footfall.json()) as { buckets?: Array<{ in: number }> }).buckets?.reduce((sum, b) => sum + b.in, 0);
  const want = expected.entries.get('necc') ?? 0;
  checks.push({
    what: 'GET /v1/footfall?zoneId=necc&bucket=1h (the day)',
    ok: footfall.status === 200 && entries === want,
    detail: `${footfall.status}, ${entries} entries (expected ${want})`,
  });
  return checks;
}

const dataDir = mkdtempSync(join(tmpdir(), 'analytics-rebuild-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log });
try {
  await provisionTopics(infra.kafkaBrokers);
  const expoId = `bench-${Date.now()}`;
  const expected: Expected = {
    registrationsByCategory: {},
    accepted: 0,
    rejected: 0,
    rejectedByReason: {},
    visitors: new Set(),
    peaks: new Map(),
    entries: new Map(),
    meetingsByStatus: {},
    turnoverUsd: 0,
    productDebuts: 0,
  };
  const producer = new BusProducer(createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-rebuild' }), { source: 'bench', sendTimeoutMs: 60_000 });
  let t0 = performance.now();
  await fill(producer, [[TOPICS.zones.name, zoneRecords(expoId)]]);
  await fill(producer, chunked(TOPICS.exhibitors.name, exhibitorRecords(expoId, expected)));
  await fill(producer, chunked(TOPICS.meetings.name, meetingRecords(expoId, expected)));
  await fill(producer, registrationChunks(expoId, expected));
  await fill(producer, scanChunks(expoId, expected));
  await producer.disconnect();
  log(
    `${ATTENDEES} attendees and badges, ${EXHIBITORS} exhibitors, ${MEETINGS} meetings, ${SCANS} scan records written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    OPS_TOKENS: OPS,
    EXPO_ID: expoId,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  t0 = performance.now();
  const service = startService(SERVICE_DIR, env, { profile: true });
  await waitReady(port, 900_000, service);
  const secondsToWhole = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const checks = await checkState(port, expected);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores, 24 GB; the service, Kafka and Redis on the same machine',
    attendees: ATTENDEES,
    badges: ATTENDEES,
    exhibitors: EXHIBITORS,
    meetings: MEETINGS,
    scanRecords: SCANS,
    secondsToWhole: Number(secondsToWhole.toFixed(1)),
    rebuildSeconds: metricValue(metrics, 'state_rebuild_duration_seconds'),
    recordsFolded: metricValue(metrics, 'state_rebuild_records'),
    peakRssMb: peakRssMb(service.pid!),
    checks,
    target: 'whole again within 60 s',
  };
  await stopService(service);
  log(JSON.stringify(results));
  mkdirSync(join(SERVICE_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(join(SERVICE_DIR, 'bench', 'results', 'rebuild.json'), `${JSON.stringify(results, null, 2)}\n`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) throw new Error(`the rebuilt state failed ${failed.length} check(s): ${JSON.stringify(failed)}`);
} finally {
  await infra.stop();
}
