// `pnpm --filter @expo/badge-scanning bench:rebuild`: how long badge-scanning takes to be whole
// again after Redis lost an expo of CIIE size. The topics get BENCH_REBUILD_ATTENDEES (430,000)
// attendees with their badges, a venue of 20 halls and BENCH_REBUILD_SCANS (1,000,000) scan
// records (a peak day's moves), written straight to Kafka; the service then starts on an empty
// Redis and is timed from its start to /readyz (the state lifecycle's rebuild). Figures go to
// bench/results/rebuild.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusProducer, createKafka, HEADER_SCHEMA_VERSION, HEADER_TYPE } from '@expo/bus';
import { freePort, metricValue, peakRssMb, provisionTopics, serviceDir, startInfra, startService, stopService, waitReady } from '@expo/infra';
import { TOPICS } from '@expo/schemas';

const ATTENDEES = Number(process.env.BENCH_REBUILD_ATTENDEES ?? 430_000);
const SCANS = Number(process.env.BENCH_REBUILD_SCANS ?? 1_000_000);
const HALLS = Array.from({ length: 20 }, (_, i) => `hall-${i + 1}`);
const DAY_START = Date.parse('2024-11-06T00:30:00Z');
const SERVICE_DIR = serviceDir('badge-scanning');
const log = (line: string) => console.log(`[bench] ${line}`);

type Message = Parameters<BusProducer['sendRaw']>[1][number];

function envelope(type: string, expoId: string, occurredAt: string, data: object, key: string): Message {
  const value = JSON.stringify({
    id: randomUUID(),
    type,
    schemaVersion: 1,
    eventId: expoId,
    source: 'bench',
    occurredAt,
    recordedAt: new Date().toISOString(),
    data,
  });
  return { key, value, headers: { [HEADER_TYPE]: type, [HEADER_SCHEMA_VERSION]: '1' } };
}

function zoneRecords(expoId: string): Message[] {
  const zone = (zoneId: string, parentId: string | null, kind: string) =>
    envelope(
      'zone.defined',
      expoId,
      new Date(DAY_START).toISOString(),
      { zoneId, name: zoneId, kind, parentId, capacity: parentId ? 20_000 : null, antiPassback: 'soft', gates: [], changed: ['zoneId'] },
      zoneId,
    );
  return [zone('necc', null, 'venue'), ...HALLS.map((h) => zone(h, 'necc', 'hall'))];
}

function* registrationChunks(expoId: string): Generator<{ attendees: Message[]; badges: Message[] }> {
  const at = new Date(DAY_START).toISOString();
  for (let from = 0; from < ATTENDEES; from += 5000) {
    const attendees: Message[] = [];
    const badges: Message[] = [];
    for (let i = from; i < Math.min(ATTENDEES, from + 5000); i++) {
      const [attendeeId, badgeId] = [`att-${i}`, `bdg-${i}`];
      attendees.push(
        envelope(
          'attendee.registered',
          expoId,
          at,
          {
            attendeeId,
            category: 'professional_visitor',
            name: `Visitor ${i}`,
            email: `v${i}@example.com`,
            country: 'CN',
            interests: ['food'],
            days: [],
            badgeId,
            status: 'active',
            registeredAt: at,
            changed: ['name'],
          },
          attendeeId,
        ),
      );
      badges.push(
        envelope(
          'badge.issued',
          expoId,
          at,
          {
            badgeId,
            attendeeId,
            kid: 'bench-key',
            category: 'professional_visitor',
            access: ['venue', 'hall'],
            validFrom: '2024-11-05',
            validTo: '2024-11-10',
            issuedAt: at,
            status: 'active',
            changed: ['status'],
          },
          badgeId,
        ),
      );
    }
    yield { attendees, badges };
  }
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
 * A peak day: visitors arrive in the venue, walk in and out of halls, and leave; every record one
 * step through one gate, with the zone's count after it, in time order.
 */
function* scanChunks(expoId: string): Generator<Message[]> {
  const occupancy = new Map<string, number>();
  const where = new Map<string, string>();
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  let chunk: Message[] = [];
  for (let n = 0; n < SCANS; n++) {
    const badge = `bdg-${Math.floor(random() * ATTENDEES)}`;
    const { from, to, zone, direction } = nextMove(where.get(badge), random);
    if (to === null) where.delete(badge);
    else where.set(badge, to);
    if (from) occupancy.set(from, (occupancy.get(from) ?? 1) - 1);
    if (to) occupancy.set(to, (occupancy.get(to) ?? 0) + 1);
    const scannedAt = new Date(DAY_START + Math.floor((n / SCANS) * 10 * 3_600_000)).toISOString();
    const data = {
      scanId: randomUUID(),
      badgeId: badge,
      attendeeId: badge.replace('bdg-', 'att-'),
      deviceId: `dev-${zone}`,
      gateId: `${zone}-gate`,
      zoneId: zone,
      fromZoneId: from,
      toZoneId: to,
      direction,
      category: 'professional_visitor',
      country: 'CN',
      scannedAt,
      flags: { inferred: false, offline: false },
      origin: 'device',
      occupancyAfter: Math.max(0, occupancy.get(zone) ?? 0),
      decision: 'accepted',
      reason: null,
    };
    chunk.push(envelope('scan.accepted', expoId, scannedAt, data, badge));
    if (chunk.length === 5000) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function fill(producer: BusProducer, topic: string, chunks: Iterable<Message[]>): Promise<void> {
  const inFlight: Array<Promise<void>> = [];
  for (const chunk of chunks) {
    inFlight.push(producer.sendRaw(topic, chunk));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

const dataDir = mkdtempSync(join(tmpdir(), 'scanning-rebuild-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log });
try {
  await provisionTopics(infra.kafkaBrokers);
  const expoId = `bench-${Date.now()}`;
  const producer = new BusProducer(createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-rebuild' }), { source: 'bench', sendTimeoutMs: 60_000 });
  let t0 = performance.now();
  await producer.sendRaw(TOPICS.zones.name, zoneRecords(expoId));
  const registrations = [...registrationChunks(expoId)];
  await fill(
    producer,
    TOPICS.attendees.name,
    registrations.map((r) => r.attendees),
  );
  await fill(
    producer,
    TOPICS.badges.name,
    registrations.map((r) => r.badges),
  );
  await fill(producer, TOPICS.scans.name, scanChunks(expoId));
  await producer.disconnect();
  log(`${ATTENDEES} attendees and badges, ${SCANS} scan records written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    ADMIN_TOKENS: 'bench-admin-token-0123456789',
    EXPO_ID: expoId,
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    CLOSING_SWEEP_AT: 'off',
  };
  t0 = performance.now();
  const service = startService(SERVICE_DIR, env, { profile: true });
  await waitReady(port, 900_000, service);
  const secondsToWhole = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores, 24 GB; the service, Kafka and Redis on the same machine',
    attendees: ATTENDEES,
    scanRecords: SCANS,
    secondsToWhole: Number(secondsToWhole.toFixed(1)),
    rebuildSeconds: metricValue(metrics, 'state_rebuild_duration_seconds'),
    scanRecordsFolded: metricValue(metrics, 'state_rebuild_records'),
    peakRssMb: peakRssMb(service.pid!),
    target: 'whole again within 60 s',
  };
  await stopService(service);
  log(JSON.stringify(results));
  mkdirSync(join(SERVICE_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(join(SERVICE_DIR, 'bench', 'results', 'rebuild.json'), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await infra.stop();
}
