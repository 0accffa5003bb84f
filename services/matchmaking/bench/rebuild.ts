// `pnpm --filter @expo/matchmaking bench:rebuild`: how long matchmaking takes to be whole again
// after Redis lost an expo of CIIE size. The topics get BENCH_REBUILD_EXHIBITORS (3,496) exhibitors,
// BENCH_REBUILD_SUBGROUPS (780) trade sub-groups in BENCH_REBUILD_DELEGATIONS (43) delegations,
// BENCH_REBUILD_ATTENDEES (430,000) attendees (one in ten a buyer, most others visitors with
// interests, which matchmaking also counts as buyers), BENCH_REBUILD_REQUIREMENTS (12,000) purchase
// requirements, BENCH_REBUILD_PREFERENCES (2,000) preferences, one session of BENCH_REBUILD_SLOTS
// (40) slots, and BENCH_REBUILD_MEETINGS (5,000) meetings, most of them seated at a table in a slot;
// all written straight to Kafka. The service then starts on an empty Redis and is timed from its
// start to /readyz: its profile index read from the registration topics, and the state lifecycle's
// rebuild of the meetings and wishes. Reads through its routes then check that the state is there.
// Figures go to bench/results/rebuild.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusProducer, createKafka, definitionFor, HEADER_SCHEMA_VERSION, HEADER_TYPE } from '@expo/bus';
import { freePort, metricValue, peakRssMb, provisionTopics, serviceDir, startInfra, startService, stopService, waitReady } from '@expo/infra';
import { BUDGET_BAND_CODES, PREFERENCE_LEVELS, SECTOR_AREA_CODES, TOPICS, type Meeting, type MeetingStatus, type TopicContract } from '@expo/schemas';
import { hashKey } from '@expo/service-kit';

const EXHIBITORS = Number(process.env.BENCH_REBUILD_EXHIBITORS ?? 3_496);
const DELEGATIONS = Number(process.env.BENCH_REBUILD_DELEGATIONS ?? 43);
const SUBGROUPS = Number(process.env.BENCH_REBUILD_SUBGROUPS ?? 780);
const ATTENDEES = Number(process.env.BENCH_REBUILD_ATTENDEES ?? 430_000);
const REQUIREMENTS = Number(process.env.BENCH_REBUILD_REQUIREMENTS ?? 12_000);
const PREFERENCES = Number(process.env.BENCH_REBUILD_PREFERENCES ?? 2_000);
const MEETINGS = Number(process.env.BENCH_REBUILD_MEETINGS ?? 5_000);
const SLOTS = Number(process.env.BENCH_REBUILD_SLOTS ?? 40);
const TABLES = Math.ceil(MEETINGS / SLOTS);
const SESSION = 'ses_b0';
const SERVICE_DIR = serviceDir('matchmaking');
const ADMIN = 'bench-admin-token-0123456789';
const COUNTRIES = ['CN', 'US', 'DE', 'JP', 'FR', 'IT', 'KE', 'BR', 'KR', 'AU', 'ET', 'MY'] as const;
const log = (line: string) => console.log(`[bench] ${line}`);

type Message = Parameters<BusProducer['sendRaw']>[1][number];

function envelope(type: string, expoId: string, occurredAt: string, data: object, key: string): Message {
  const value = JSON.stringify({ id: randomUUID(), type, schemaVersion: 1, eventId: expoId, source: 'bench', occurredAt, recordedAt: occurredAt, data });
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

const sectors = (i: number, n: number) => Array.from({ length: n }, (_, k) => SECTOR_AREA_CODES[(i + k) % SECTOR_AREA_CODES.length]!);
const changed = (snapshot: object) => ({ ...snapshot, changed: Object.keys(snapshot) });
const exhibitorKey = (i: number) => `exh_bench-key-${i}`;
const BUYER_ATTENDEES = Math.ceil(ATTENDEES / 10);
/** Every other meeting's buyer is a sub-group, the others an attendee registered as a buyer. */
const buyerOf = (i: number) => (i % 2 === 0 ? `sg_b${(i / 2) % SUBGROUPS}` : `att_b${10 * (((i - 1) / 2) % BUYER_ATTENDEES)}`);
const REGISTERED_AT = '2024-09-01T08:00:00+08:00';

function exhibitorRecords(expoId: string): Message[] {
  return Array.from({ length: EXHIBITORS }, (_, i) => {
    const products = Array.from({ length: 3 }, (_, p) => ({
      productId: `prd_b${i}_${p}`,
      name: `Product ${p} of exhibitor ${i}`,
      sectors: sectors(i + p, 1),
      debut: (i + p) % 7 === 0,
    }));
    const exhibitor = {
      exhibitorId: `exh_b${i}`,
      name: `Exhibitor ${i}`,
      country: COUNTRIES[(i * 5) % COUNTRIES.length]!,
      sectors: sectors(i, 2),
      hall: `${1 + (i % 8)}.${1 + (i % 2)}`,
      booth: `B${i}`,
      fortuneGlobal500: i % 12 === 0,
      leastDevelopedCountry: i % 25 === 0,
      products,
      keyHash: hashKey(exhibitorKey(i)),
    };
    return envelope('exhibitor.registered', expoId, REGISTERED_AT, changed(exhibitor), exhibitor.exhibitorId);
  });
}

function delegationRecords(expoId: string): Message[] {
  return Array.from({ length: DELEGATIONS }, (_, d) => {
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
      delegationId: `del_b${d}`,
      name: `Delegation ${d}`,
      kind: d < DELEGATIONS - 4 ? 'government' : 'industry',
      country: 'CN',
      origin: `Province ${d}`,
      subGroups,
    };
    return envelope('delegation.registered', expoId, REGISTERED_AT, changed(delegation), delegation.delegationId);
  });
}

/** Attendees as registration writes them: one in ten a buyer (half of those in a sub-group), the rest visitors with interests. */
function* attendeeChunks(expoId: string): Generator<Message[]> {
  for (let from = 0; from < ATTENDEES; from += 5000) {
    const chunk: Message[] = [];
    for (let i = from; i < Math.min(ATTENDEES, from + 5000); i++) {
      const buyer = i % 10 === 0;
      const subGroup = Math.floor(i / 10) % (2 * SUBGROUPS);
      const attendee = {
        attendeeId: `att_b${i}`,
        category: buyer ? 'buyer' : 'professional_visitor',
        name: `Visitor ${i}`,
        email: `visitor${i}@example.com`,
        country: COUNTRIES[i % COUNTRIES.length]!,
        interests: sectors(i, 1 + (i % 3)),
        days: [],
        badgeId: `bdg_b${i}`,
        status: 'active',
        registeredAt: REGISTERED_AT,
        ...(buyer && subGroup < SUBGROUPS ? { delegationId: `del_b${subGroup % DELEGATIONS}`, subGroupId: `sg_b${subGroup}` } : {}),
      };
      chunk.push(envelope('attendee.registered', expoId, REGISTERED_AT, changed(attendee), attendee.attendeeId));
    }
    yield chunk;
  }
}

function requirementRecords(expoId: string): Message[] {
  return Array.from({ length: REQUIREMENTS }, (_, r) => {
    const requirement = {
      requirementId: `req_b${r}`,
      buyerId: buyerOf(r),
      sectors: sectors(r, 2),
      keywords: [`keyword${r % 97}`, 'organic'],
      quantity: `${1 + (r % 50)} t per year`,
      budgetBand: BUDGET_BAND_CODES[r % BUDGET_BAND_CODES.length]!,
      createdAt: REGISTERED_AT,
    };
    return envelope('requirement.posted', expoId, REGISTERED_AT, requirement, requirement.requirementId);
  });
}

function preferenceRecords(expoId: string): Message[] {
  return Array.from({ length: PREFERENCES }, (_, p) => {
    const [fromId, toId] = [buyerOf(p), `exh_b${(p * 7) % EXHIBITORS}`];
    const preference = { pairId: `${fromId}|${toId}`, fromId, toId, level: PREFERENCE_LEVELS[p % 2]!, setAt: REGISTERED_AT };
    return envelope('preference.set', expoId, REGISTERED_AT, preference, preference.pairId);
  });
}

/** Half-hour slots from 09:30 venue time, ten a day from 6 November on. */
function slotOf(s: number): { slotId: string; start: string; end: string } {
  const start = Date.parse('2024-11-06T09:30:00+08:00') + Math.floor(s / 10) * 86_400_000 + (s % 10) * 1_800_000;
  return { slotId: `slot_${s}`, start: new Date(start).toISOString(), end: new Date(start + 1_800_000).toISOString() };
}

function sessionRecord(expoId: string): Message {
  const session = {
    sessionId: SESSION,
    name: 'CIIE supply and demand matchmaking',
    updatedAt: REGISTERED_AT,
    slots: Array.from({ length: SLOTS }, (_, s) => slotOf(s)),
    tables: Array.from({ length: TABLES }, (_, t) => ({ tableId: `tbl_${t}`, languages: t % 3 === 0 ? ['zh', 'en'] : ['zh'] })),
  };
  return envelope('session.defined', expoId, REGISTERED_AT, session, SESSION);
}

const STATUS_CYCLE: readonly MeetingStatus[] = [
  'requested',
  'declined',
  'accepted',
  'held',
  'held',
  'no_show',
  'cancelled',
  ...Array<MeetingStatus>(13).fill('scheduled'),
];

/**
 * Meeting i sits at table i % TABLES in slot i / TABLES, with exhibitor i % EXHIBITORS and buyer
 * buyerOf(i): within a slot no party or table is taken twice, so the rebuild displaces none.
 * Requested, declined and accepted meetings have no time yet; requests are an hour old, so the
 * expiry sweep leaves them alone.
 */
function meetings(): Meeting[] {
  if (TABLES > EXHIBITORS || TABLES > 2 * Math.min(SUBGROUPS, BUYER_ATTENDEES)) throw new Error(`${TABLES} tables a slot need more exhibitors and buyers`);
  const requestedAt = new Date(Date.now() - 3_600_000).toISOString();
  const pairs = new Set<string>();
  return Array.from({ length: MEETINGS }, (_, i) => {
    const status = STATUS_CYCLE[i % STATUS_CYCLE.length]!;
    const [buyerId, exhibitorId] = [buyerOf(i), `exh_b${i % EXHIBITORS}`];
    if (pairs.has(`${buyerId}|${exhibitorId}`)) throw new Error(`meeting ${i} repeats the pair ${buyerId}, ${exhibitorId}: choose other sizes`);
    pairs.add(`${buyerId}|${exhibitorId}`);
    const seated = !['requested', 'declined', 'accepted'].includes(status);
    const slot = slotOf(Math.floor(i / TABLES));
    return {
      meetingId: `mtg_b${i}`,
      buyerId,
      exhibitorId,
      requestedBy: (['buyer', 'exhibitor', 'organiser'] as const)[i % 3]!,
      status,
      requestedAt,
      updatedAt: requestedAt,
      ...(seated ? { sessionId: SESSION, slot: { start: slot.start, end: slot.end }, tableId: `tbl_${i % TABLES}` } : {}),
      ...(status === 'held' ? { intendedDealUsd: 10_000 + (i % 100) * 1_000 } : {}),
    };
  });
}

function meetingRecords(expoId: string, list: readonly Meeting[]): Message[] {
  return list.map((m) => envelope(`meeting.${m.status}`, expoId, m.updatedAt, changed(m), m.meetingId));
}

async function fill(producer: BusProducer, topic: string, chunks: Iterable<Message[]>): Promise<void> {
  const inFlight: Array<Promise<void>> = [];
  for (const chunk of chunks) {
    inFlight.push(producer.sendRaw(topic, chunk));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

/** A few hundred records a request: exhibitors with their products are large, and Kafka takes 1 MB at most. */
function* chunked(messages: readonly Message[], size = 500): Generator<Message[]> {
  for (let i = 0; i < messages.length; i += size) yield messages.slice(i, i + size);
}

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Reads through the public routes that only a whole state (and a complete profile index) answers right. */
async function checkState(port: number, list: readonly Meeting[]): Promise<Check[]> {
  const get = (path: string, token = ADMIN) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const checks: Check[] = [];
  const seated = list.findLast((m) => m.status === 'scheduled')!;
  const meeting = await get(`/v1/meetings/${seated.meetingId}`);
  const got = (await meeting.json()) as Partial<Meeting>;
  const same = got.status === 'scheduled' && got.tableId === seated.tableId && got.slot?.start === seated.slot?.start;
  checks.push({
    what: `GET /v1/meetings/${seated.meetingId}`,
    ok: meeting.status === 200 && same,
    detail: `${meeting.status}, ${got.status} at ${got.tableId} ${got.slot?.start}`,
  });
  const index = Number(seated.exhibitorId.slice('exh_b'.length));
  const meetingsOf = new Map<string, number>();
  for (const m of list) meetingsOf.set(m.buyerId, (meetingsOf.get(m.buyerId) ?? 0) + 1);
  const busiest = [...meetingsOf].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  for (const [id, token] of [
    [seated.exhibitorId, exhibitorKey(index)],
    [busiest, ADMIN],
  ] as const) {
    const expected = list.filter((m) => m.exhibitorId === id || m.buyerId === id).length;
    const res = await get(`/v1/participants/${id}/schedule`, token);
    const items = ((await res.json()) as { items?: unknown[] }).items?.length;
    const as = token === ADMIN ? 'admin' : 'its exhibitor key';
    checks.push({
      what: `GET /v1/participants/${id}/schedule (${as})`,
      ok: res.status === 200 && items === expected,
      detail: `${res.status}, ${items} of ${expected} meetings`,
    });
  }
  const buyer = buyerOf(REQUIREMENTS - 1);
  const expected = Array.from({ length: REQUIREMENTS }, (_, r) => buyerOf(r)).filter((b) => b === buyer).length;
  const requirements = await get(`/v1/buyers/${buyer}/requirements`);
  const posted = ((await requirements.json()) as { items?: unknown[] }).items?.length;
  checks.push({
    what: `GET /v1/buyers/${buyer}/requirements`,
    ok: requirements.status === 200 && posted === expected,
    detail: `${requirements.status}, ${posted} of ${expected}`,
  });
  const recommendations = await get(`/v1/buyers/${buyer}/recommendations?limit=5`);
  const recommended = ((await recommendations.json()) as { items?: unknown[] }).items?.length;
  checks.push({
    what: `GET /v1/buyers/${buyer}/recommendations`,
    ok: recommendations.status === 200 && recommended === 5,
    detail: `${recommendations.status}, ${recommended} exhibitors`,
  });
  const session = await get(`/v1/sessions/${SESSION}`);
  const tables = ((await session.json()) as { tables?: unknown[] }).tables?.length;
  checks.push({ what: `GET /v1/sessions/${SESSION}`, ok: session.status === 200 && tables === TABLES, detail: `${session.status}, ${tables} tables` });
  return checks;
}

const dataDir = mkdtempSync(join(tmpdir(), 'matchmaking-rebuild-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log });
try {
  await provisionTopics(infra.kafkaBrokers);
  const expoId = `bench-${Date.now()}`;
  const producer = new BusProducer(createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-rebuild' }), { source: 'bench', sendTimeoutMs: 60_000 });
  let t0 = performance.now();
  const list = meetings();
  const small: Array<[TopicContract, Message[]]> = [
    [TOPICS.exhibitors, exhibitorRecords(expoId)],
    [TOPICS.delegations, delegationRecords(expoId)],
    [TOPICS.requirements, requirementRecords(expoId)],
    [TOPICS.preferences, preferenceRecords(expoId)],
    [TOPICS.sessions, [sessionRecord(expoId)]],
    [TOPICS.meetings, meetingRecords(expoId, list)],
  ];
  for (const [contract, messages] of small) {
    assertReadable(contract, messages);
    await fill(producer, contract.name, chunked(messages));
  }
  let first = true;
  const attendees = function* () {
    for (const chunk of attendeeChunks(expoId)) {
      if (first) assertReadable(TOPICS.attendees, chunk);
      first = false;
      yield chunk;
    }
  };
  await fill(producer, TOPICS.attendees.name, attendees());
  await producer.disconnect();
  log(
    `${EXHIBITORS} exhibitors, ${SUBGROUPS} sub-groups, ${ATTENDEES} attendees, ${REQUIREMENTS} requirements, ${MEETINGS} meetings written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    ADMIN_TOKENS: ADMIN,
    EXPO_ID: expoId,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  t0 = performance.now();
  const service = startService(SERVICE_DIR, env, { profile: true });
  await waitReady(port, 900_000, service);
  const secondsToWhole = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const checks = await checkState(port, list);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores, 24 GB; the service, Kafka and Redis on the same machine',
    exhibitors: EXHIBITORS,
    delegations: DELEGATIONS,
    subGroups: SUBGROUPS,
    attendees: ATTENDEES,
    requirements: REQUIREMENTS,
    preferences: PREFERENCES,
    meetings: MEETINGS,
    session: { slots: SLOTS, tables: TABLES },
    // From the start: the profile index read from the registration topics, and the Redis rebuild.
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
