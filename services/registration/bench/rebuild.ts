// `pnpm --filter @expo/registration bench:rebuild`: how long registration takes to be whole again
// after Redis lost an expo of CIIE size. The topics get BENCH_REBUILD_ATTENDEES (430,000) attendees
// with their badges as registration writes them, BENCH_REBUILD_EXHIBITORS (3,496) exhibitors and
// BENCH_REBUILD_SUBGROUPS (780) trade sub-groups in BENCH_REBUILD_DELEGATIONS (43) delegations,
// written straight to Kafka; the service then starts on an empty Redis and is timed from its start
// to /readyz (the state lifecycle's rebuild). Reads through its routes then check that the state is
// there. Figures go to bench/results/rebuild.json.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadgeKeyRing } from '@expo/badges';
import { BusProducer, createKafka, definitionFor, HEADER_SCHEMA_VERSION, HEADER_TYPE } from '@expo/bus';
import { freePort, metricValue, peakRssMb, provisionTopics, serviceDir, startInfra, startService, stopService, waitReady } from '@expo/infra';
import { BUDGET_BAND_CODES, SECTOR_AREA_CODES, TOPICS, type AttendeeCategory, type RegisterAttendeeBody, type TopicContract } from '@expo/schemas';
import { newAttendee } from '../src/domain/new-attendee.ts';
import { allFields } from '../src/usecases/deps.ts';

const ATTENDEES = Number(process.env.BENCH_REBUILD_ATTENDEES ?? 430_000);
const EXHIBITORS = Number(process.env.BENCH_REBUILD_EXHIBITORS ?? 3_496);
const DELEGATIONS = Number(process.env.BENCH_REBUILD_DELEGATIONS ?? 43);
const SUBGROUPS = Number(process.env.BENCH_REBUILD_SUBGROUPS ?? 780);
const SERVICE_DIR = serviceDir('registration');
const ADMIN = 'bench-admin-token-0123456789';
const EXPO = { firstDay: '2024-11-05', lastDay: '2024-11-10' };
const COUNTRIES = ['CN', 'US', 'DE', 'JP', 'FR', 'IT', 'KE', 'BR', 'KR', 'AU', 'ET', 'MY'] as const;
const log = (line: string) => console.log(`[bench] ${line}`);

type Message = Parameters<BusProducer['sendRaw']>[1][number];

function envelope(type: string, expoId: string, occurredAt: string, data: object, key: string): Message {
  const value = JSON.stringify({ id: randomUUID(), type, schemaVersion: 1, eventId: expoId, source: 'registration', occurredAt, recordedAt: occurredAt, data });
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

const categoryOf = (i: number): AttendeeCategory =>
  i % 10 === 0 ? 'buyer' : i % 10 === 1 ? 'exhibitor_staff' : i % 100 === 2 ? 'media' : 'professional_visitor';
const sectors = (i: number, n: number) => Array.from({ length: n }, (_, k) => SECTOR_AREA_CODES[(i + k) % SECTOR_AREA_CODES.length]!);
const emailOf = (i: number) => `visitor${i}@example.com`;

/** The body someone registers with: buyers of a sub-group, exhibitor staff of an exhibitor, visitors with interests. */
function registrationBody(i: number): RegisterAttendeeBody {
  const category = categoryOf(i);
  // Half the buyers travel with a delegation's sub-group.
  const subGroup = Math.floor(i / 10) % (2 * SUBGROUPS);
  return {
    category,
    name: `Visitor ${i}`,
    email: emailOf(i),
    country: COUNTRIES[i % COUNTRIES.length]!,
    interests: sectors(i, 1 + (i % 3)),
    days: i % 4 === 0 ? ['2024-11-06', '2024-11-07'] : [],
    consent: true,
    ...(category === 'buyer' && subGroup < SUBGROUPS ? { delegationId: `del_b${subGroup % DELEGATIONS}`, subGroupId: `sg_b${subGroup}` } : {}),
    ...(category === 'exhibitor_staff' ? { exhibitorId: `exh_b${i % EXHIBITORS}` } : {}),
  };
}

interface Probe {
  readonly attendeeId: string;
  readonly badgeId: string;
  readonly email: string;
}

/** Attendees and their badges, 5,000 at a time; `probes` gets the first and last registration for the reads. */
function* registrationChunks(expoId: string, kid: string, probes: Probe[]): Generator<{ attendees: Message[]; badges: Message[] }> {
  const at = new Date('2024-10-20T08:00:00+08:00');
  for (let from = 0; from < ATTENDEES; from += 5000) {
    const attendees: Message[] = [];
    const badges: Message[] = [];
    for (let i = from; i < Math.min(ATTENDEES, from + 5000); i++) {
      const made = newAttendee(registrationBody(i), { attendeeId: `att_b${i}`, kid }, EXPO, new Date(at.getTime() + i * 1000))!;
      const { attendee, badge } = made;
      attendees.push(envelope('attendee.registered', expoId, attendee.registeredAt, { ...attendee, changed: allFields(attendee) }, attendee.attendeeId));
      badges.push(envelope('badge.issued', expoId, badge.issuedAt, { ...badge, status: 'active', changed: allFields(badge) }, badge.badgeId));
      if (i === 0 || i === ATTENDEES - 1) probes.push({ attendeeId: attendee.attendeeId, badgeId: badge.badgeId, email: attendee.email });
    }
    yield { attendees, badges };
  }
}

function exhibitorRecords(expoId: string): Message[] {
  return Array.from({ length: EXHIBITORS }, (_, i) => {
    const exhibitorId = `exh_b${i}`;
    const products = Array.from({ length: 3 }, (_, p) => ({
      productId: `prd_b${i}_${p}`,
      name: `Product ${p} of exhibitor ${i}`,
      sectors: sectors(i + p, 1),
      debut: (i + p) % 7 === 0,
    }));
    const exhibitor = {
      exhibitorId,
      name: `Exhibitor ${i}`,
      country: COUNTRIES[(i * 5) % COUNTRIES.length]!,
      sectors: sectors(i, 2),
      hall: `${1 + (i % 8)}.${1 + (i % 2)}`,
      booth: `B${i}`,
      fortuneGlobal500: i % 12 === 0,
      leastDevelopedCountry: i % 25 === 0,
      products,
      keyHash: createHash('sha256').update(`bench-exhibitor-key-${i}`).digest('hex'),
    };
    return envelope('exhibitor.registered', expoId, '2024-09-01T08:00:00+08:00', { ...exhibitor, changed: allFields(exhibitor) }, exhibitorId);
  });
}

function delegationRecords(expoId: string): Message[] {
  return Array.from({ length: DELEGATIONS }, (_, d) => {
    const delegationId = `del_b${d}`;
    const subGroups = [];
    for (let g = d; g < SUBGROUPS; g += DELEGATIONS) {
      subGroups.push({
        subGroupId: `sg_b${g}`,
        name: `Trade group ${g}`,
        interests: sectors(g, 2),
        budgetBand: BUDGET_BAND_CODES[g % BUDGET_BAND_CODES.length]!,
      });
    }
    const delegation = {
      delegationId,
      name: `Delegation ${d}`,
      kind: d < DELEGATIONS - 4 ? 'government' : 'industry',
      country: 'CN',
      origin: `Province ${d}`,
      subGroups,
    };
    return envelope('delegation.registered', expoId, '2024-09-01T08:00:00+08:00', { ...delegation, changed: allFields(delegation) }, delegationId);
  });
}

async function fill(producer: BusProducer, sends: Iterable<[string, Message[]]>): Promise<void> {
  const inFlight: Array<Promise<void>> = [];
  for (const [topic, chunk] of sends) {
    inFlight.push(producer.sendRaw(topic, chunk));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

function* chunked(topic: string, messages: readonly Message[], size: number): Generator<[string, Message[]]> {
  for (let i = 0; i < messages.length; i += size) yield [topic, messages.slice(i, i + size)];
}

function* registrationSends(chunks: Iterable<{ attendees: Message[]; badges: Message[] }>): Generator<[string, Message[]]> {
  let first = true;
  for (const { attendees, badges } of chunks) {
    if (first) {
      assertReadable(TOPICS.attendees, attendees);
      assertReadable(TOPICS.badges, badges);
      first = false;
    }
    yield [TOPICS.attendees.name, attendees];
    yield [TOPICS.badges.name, badges];
  }
}

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Reads through the public routes that only a whole state answers right. */
async function checkState(port: number, probes: readonly Probe[]): Promise<Check[]> {
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const checks: Check[] = [];
  for (const probe of probes) {
    const res = await get(`/v1/attendees/${probe.attendeeId}`);
    const body = (await res.json()) as { email?: string; badgeId?: string };
    checks.push({
      what: `GET /v1/attendees/${probe.attendeeId}`,
      ok: res.status === 200 && body.email === probe.email && body.badgeId === probe.badgeId,
      detail: `${res.status}, badge ${body.badgeId}`,
    });
    const svg = await get(`/v1/badges/${probe.badgeId}/badge.svg`);
    const text = await svg.text();
    checks.push({
      what: `GET /v1/badges/${probe.badgeId}/badge.svg`,
      ok: svg.status === 200 && text.includes('<svg'),
      detail: `${svg.status}, ${text.length} bytes`,
    });
  }
  const exhibitorId = `exh_b${EXHIBITORS - 1}`;
  const exhibitor = await get(`/v1/exhibitors/${exhibitorId}`);
  const booth = ((await exhibitor.json()) as { booth?: string }).booth;
  checks.push({
    what: `GET /v1/exhibitors/${exhibitorId}`,
    ok: exhibitor.status === 200 && booth === `B${EXHIBITORS - 1}`,
    detail: `${exhibitor.status}, booth ${booth}`,
  });
  const delegationId = `del_b${DELEGATIONS - 1}`;
  const delegation = await get(`/v1/delegations/${delegationId}`);
  const groups = ((await delegation.json()) as { subGroups?: unknown[] }).subGroups?.length;
  checks.push({
    what: `GET /v1/delegations/${delegationId}`,
    ok: delegation.status === 200 && groups === Math.ceil((SUBGROUPS - DELEGATIONS + 1) / DELEGATIONS),
    detail: `${delegation.status}, ${groups} sub-groups`,
  });
  // The email index is state too: registering a folded attendee's email again answers 409 naming them.
  const first = probes[0]!;
  const again = await fetch(`http://127.0.0.1:${port}/v1/attendees`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'professional_visitor', name: 'Someone Else', email: first.email, country: 'CN', consent: true }),
  });
  const conflict = (await again.json()) as { error?: { details?: Array<{ attendeeId?: string }> } };
  const holder = conflict.error?.details?.[0]?.attendeeId;
  checks.push({
    what: `POST /v1/attendees with ${first.attendeeId}'s email`,
    ok: again.status === 409 && holder === first.attendeeId,
    detail: `${again.status}, held by ${holder}`,
  });
  return checks;
}

const dataDir = mkdtempSync(join(tmpdir(), 'registration-rebuild-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log });
try {
  await provisionTopics(infra.kafkaBrokers);
  const expoId = `bench-${Date.now()}`;
  const keyRing = BadgeKeyRing.generate();
  const keysFile = join(dataDir, 'badge-signing-keys.json');
  writeFileSync(keysFile, JSON.stringify(keyRing.serialize()), { mode: 0o600 });
  const producer = new BusProducer(createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-rebuild' }), { source: 'bench', sendTimeoutMs: 60_000 });
  let t0 = performance.now();
  const organisations = [...exhibitorRecords(expoId), ...delegationRecords(expoId)];
  assertReadable(TOPICS.exhibitors, organisations.slice(0, EXHIBITORS));
  assertReadable(TOPICS.delegations, organisations.slice(EXHIBITORS));
  // Exhibitors with their products are large records: a few hundred at a time stay under Kafka's 1 MB request.
  await fill(producer, chunked(TOPICS.exhibitors.name, organisations.slice(0, EXHIBITORS), 500));
  await fill(producer, chunked(TOPICS.delegations.name, organisations.slice(EXHIBITORS), 500));
  const probes: Probe[] = [];
  await fill(producer, registrationSends(registrationChunks(expoId, keyRing.current.kid, probes)));
  await producer.disconnect();
  log(`${ATTENDEES} attendees and badges, ${EXHIBITORS} exhibitors, ${DELEGATIONS} delegations written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    ADMIN_TOKENS: ADMIN,
    EXPO_ID: expoId,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    BADGE_SIGNING_KEYS_FILE: keysFile,
    EXPO_FIRST_DAY: EXPO.firstDay,
    EXPO_LAST_DAY: EXPO.lastDay,
  };
  t0 = performance.now();
  const service = startService(SERVICE_DIR, env, { profile: true });
  await waitReady(port, 900_000, service);
  const secondsToWhole = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const checks = await checkState(port, probes);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores, 24 GB; the service, Kafka and Redis on the same machine',
    attendees: ATTENDEES,
    badges: ATTENDEES,
    exhibitors: EXHIBITORS,
    delegations: DELEGATIONS,
    subGroups: SUBGROUPS,
    secondsToWhole: Number(secondsToWhole.toFixed(1)),
    rebuildSeconds: metricValue(metrics, 'state_rebuild_duration_seconds'),
    // Counted as registration's rebuild counts them: the Redis writes it folded the records into.
    rebuildWrites: metricValue(metrics, 'state_rebuild_records'),
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
