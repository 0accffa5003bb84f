// `pnpm bench` (badge-scanning), in one run on real Kafka and Redis (KAFKA_BROKERS / REDIS_URL when
// set, else a fresh local broker and Redis). Targets are ratios to what this machine can do in the
// same run (issue 22), so a slow or fast day of the machine does not decide them:
//   1. the service loads BENCH_BADGES attendees; Redis memory per known badge; the warm-up scans
//      each of BENCH_ACTIVE badges once; Redis memory per scanned badge;
//   2. closed loop (autocannon, 200 gates), BENCH_ROUNDS rounds of BENCH_SECONDS each, the order
//      reversed every other round: bare fastify (the HTTP ceiling), the floor path
//      (bench/floor-server.ts: what any scan on this architecture must pay), the floor behind the
//      per-device rate limit, and POST /v1/scans (with its rate limit on, as in production):
//      maximum rate and CPU per request of every process (/proc);
//   3. open loop at fixed rates (bench/open-loop.ts) for BENCH_LATENCY_SECONDS: the service at
//      1,000 scans/s and at half its maximum, the floor at 1,000/s; latency from each request's
//      scheduled send, beside the service's own histogram;
//   4. offline batches of 1,000 scans: the floor batch route and POST /v1/scans/batch, alternating;
//   5. the rebuild of Redis from the scan log.
// Figures go to bench/results/badge-scanning.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BadgeKeyRing, signBadgeToken } from '@expo/badges';
import { BusProducer, createKafka } from '@expo/bus';
import {
  ensureTopics,
  freePort,
  peakRssMb,
  provisionTopics,
  serviceDir,
  serviceNodeFlags,
  startInfra,
  startService,
  stopService,
  waitReady,
} from '@expo/infra';
import { allTopicDefinitions, TOPICS } from '@expo/schemas';
import { scanningKeys } from '../src/store/keys.ts';
import { cpuMeter } from './cpu.ts';
import { load, randomUUID, type LoadResult } from './load.ts';
import { openLoop, type OpenLoopResult } from './open-loop.ts';
import { hashMemory, meanKeyMemory, unlinkMatching, usedMemory } from './redis-memory.ts';
import { histogramBuckets, latencyBetween, pausesBetween, scrape } from './service-metrics.ts';

const BADGES = Number(process.env.BENCH_BADGES ?? 400_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
// The badges scanned during the run: a peak day's arrivals (docs/architecture.md), each scanned again and
// again as visitors move, while all BADGES are known to the service.
const ACTIVE = Math.min(BADGES, Number(process.env.BENCH_ACTIVE ?? 150_000));
const HALLS = 20;
const DEVICES_PER_HALL = 10;
const GATES = HALLS * DEVICES_PER_HALL;
/** The fixed rate of the latency target: ten CIIE-sized expos at their opening rush. */
const FIXED_RATE = 1000;
const BATCH_SCANS = 1000;
const BATCH_CONNECTIONS = 4;
// The limiter stays on, as in production, with a limit no run reaches: it costs its Redis round
// trip and refuses nothing. (The service has no switch to turn it off.)
const NO_LIMIT = '1000000000';
const TARGETS = { scanToFloor: 0.6, serviceCpuToBareCpu: 3, batchToFloorBatch: 0.6, p99Ms: 20, p99_9Ms: 50 };
const ADMIN = 'bench-admin-token-0123456789';
const SERVICE_DIR = serviceDir('badge-scanning');
const DAY = '2024-11-06T10:00:00+08:00';
// Scans are of now (the service bounds a device's clock to SCAN_CLOCK_BOUND_SECONDS of its own),
// with badges valid from yesterday to tomorrow.
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const VALID = { from: dayOffset(-1), to: dayOffset(1) };
const log = (line: string) => console.log(`[bench] ${line}`);

async function api(port: number, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** What registration would have published for BADGES attendees; returns their tokens. */
async function publishRegistrations(brokers: string, expoId: string, keyRing: BadgeKeyRing): Promise<string[]> {
  const producer = new BusProducer(createKafka({ brokers, clientId: 'bench-registration' }), { source: 'registration', sendTimeoutMs: 60_000 });
  const jwk = keyRing.publicJwks().keys[0]!;
  await producer.send(TOPICS.badgeKeys, [
    { type: 'badge_key.published', eventId: expoId, data: { kid: jwk.kid, jwk, status: 'active', publishedAt: new Date().toISOString() } },
  ]);
  const tokens: string[] = [];
  const access = ['venue', 'hall'];
  for (let from = 0; from < BADGES; from += 5000) {
    const attendees = [];
    for (let i = from; i < Math.min(BADGES, from + 5000); i++) {
      const attendeeId = `att-${i}`;
      const badgeId = `bdg-${i}`;
      tokens.push(signBadgeToken({ bid: badgeId, aid: attendeeId, eid: expoId, cat: 'professional_visitor', acc: access, ...VALID }, keyRing.current));
      attendees.push({
        type: 'attendee.registered' as const,
        eventId: expoId,
        data: {
          attendeeId,
          category: 'professional_visitor' as const,
          name: `Visitor ${i}`,
          email: `v${i}@example.com`,
          country: 'CN' as const,
          interests: [],
          days: [],
          badgeId,
          status: 'active' as const,
          registeredAt: DAY,
          changed: ['name'],
        },
      });
    }
    await producer.send(TOPICS.attendees, attendees);
  }
  await producer.disconnect();
  return tokens;
}

type ScanRequestSpec = { path: string; headers: Record<string, string>; body: string };

/**
 * The scans of the gates: each connection is one gate device with its own share of the badges, each
 * badge alternating in and out of the device's hall; ~1 % forged tokens and ~1 % retries of the
 * previous scan. Each target gets a stream of its own (the floor's scans do not move the service's badges).
 */
function scanStream(deviceKeys: readonly string[], tokens: readonly string[]): (connection: number) => ScanRequestSpec {
  const inside = new Uint8Array(ACTIVE);
  const cursor = new Int32Array(deviceKeys.length);
  const previous: string[] = [];
  let rnd = 12345;
  const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
  return (connection) => {
    const c = connection % deviceKeys.length;
    const headers = { authorization: `Bearer ${deviceKeys[c]}` };
    const roll = random();
    if (roll < 0.01 && previous[c]) return { path: '/v1/scans', headers, body: previous[c] };
    const badge = (cursor[c]! * deviceKeys.length + c) % ACTIVE;
    cursor[c] = cursor[c]! + 1;
    let token = tokens[badge]!;
    if (roll > 0.99) token = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    const direction = inside[badge] ? 'out' : 'in';
    inside[badge] = inside[badge] ? 0 : 1;
    const body = JSON.stringify({ scanId: randomUUID(), badgeToken: token, direction, scannedAt: new Date().toISOString() });
    previous[c] = body;
    return { path: '/v1/scans', headers, body };
  };
}

/** Offline batches of BATCH_SCANS scans from a stream's devices. */
function batchStream(next: (connection: number) => ScanRequestSpec): (connection: number) => ScanRequestSpec {
  return (connection) => {
    const first = next(connection);
    const scans = [first, ...Array.from({ length: BATCH_SCANS - 1 }, () => next(connection))].map((s) => JSON.parse(s.body) as object);
    return { path: '/v1/scans/batch', headers: first.headers, body: JSON.stringify({ scans }) };
  };
}

/** A bench script of the service's folder under tsx, with the service's Node flags (as startService gives src/server.ts). */
function startWithServiceFlags(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? serviceNodeFlags(SERVICE_DIR);
  return spawn(process.execPath, [...flags, '--import', 'tsx', script], { cwd: SERVICE_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Resolves once `port` accepts connections; throws if `child` exits first or after 60 s. */
async function waitListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${String(child.spawnargs.at(-1))} exited before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 500);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listening on ${port} within 60 s`);
}

interface Phase {
  readonly result: LoadResult;
  /** µs of CPU per operation, per process. */
  readonly cpu: Record<string, number>;
  readonly coresBusyPercent: number;
}

/** One closed-loop phase with its CPU. `operations` per request: 1, or the scans of a batch. */
async function measured(pids: Record<string, number>, run: () => Promise<LoadResult>, operationsPerRequest = 1): Promise<Phase> {
  const meter = cpuMeter(pids);
  const result = await run();
  const share = meter.stop(result.total * operationsPerRequest);
  return { result, cpu: share.perOperationUs, coresBusyPercent: share.machineBusyPercent };
}

/** The rounds of one variant pooled: operations per second, CPU per operation weighted by operations. */
function pooled(phases: readonly Phase[], operationsPerRequest = 1) {
  const operations = phases.reduce((n, p) => n + p.result.total, 0) * operationsPerRequest;
  const seconds = phases.reduce((n, p) => n + p.result.total / p.result.requestsPerSecond, 0);
  const cpu: Record<string, number> = {};
  for (const name of Object.keys(phases[0]?.cpu ?? {}))
    cpu[name] = Math.round(phases.reduce((sum, p) => sum + p.cpu[name]! * p.result.total * operationsPerRequest, 0) / Math.max(1, operations));
  return {
    perSecond: Math.round(operations / seconds),
    cpuMicroseconds: cpu,
    rounds: phases.map((p) => Math.round(p.result.requestsPerSecond * operationsPerRequest)),
    coresBusyPercent: phases.map((p) => p.coresBusyPercent),
    non2xx: phases.reduce((n, p) => n + p.result.non2xx + p.result.errors, 0),
  };
}

const ratio = (value: number) => Number(value.toFixed(3));

function latencyFigures(run: OpenLoopResult, targetRate: number) {
  return {
    targetRate,
    answeredPerSecond: Math.round(run.requestsPerSecond),
    p50Ms: run.latency.p50,
    p99Ms: run.latency.p99,
    p99_9Ms: run.latency.p99_9,
    maxMs: run.latency.max,
    met: run.latency.p99 <= TARGETS.p99Ms && run.latency.p99_9 <= TARGETS.p99_9Ms,
    generatorSendLagMs: { p99: run.sendLag.p99, p99_9: run.sendLag.p99_9, max: run.sendLag.max },
    non2xx: run.non2xx,
    errors: run.errors,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'scanning-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log });
const children: ChildProcess[] = [];
const kafkaAdmin = createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-admin' }).admin();
let floorTopic: string | null = null;
try {
  await provisionTopics(infra.kafkaBrokers);
  await kafkaAdmin.connect();
  const expoId = `bench-${Date.now()}`;
  // The floor writes to a topic shaped as the scan log (partitions, retention), of this run only.
  floorTopic = `bench.floor-scans.${expoId}`;
  const scansDefinition = allTopicDefinitions().find((d) => d.name === TOPICS.scans.name)!;
  await ensureTopics(createKafka({ brokers: infra.kafkaBrokers, clientId: 'bench-provisioning' }), [{ ...scansDefinition, name: floorTopic }]);
  const keyRing = BadgeKeyRing.generate();
  let t0 = performance.now();
  const tokens = await publishRegistrations(infra.kafkaBrokers, expoId, keyRing);
  log(`${BADGES} attendees published and their tokens signed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 1. The service, with every badge known.
  const redis = new Redis(infra.redisUrl);
  const keys = scanningKeys(expoId);
  const memoryBefore = await usedMemory(redis);
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    ADMIN_TOKENS: ADMIN,
    OPS_TOKENS: 'bench-ops-token-0123456789ab',
    EXPO_ID: expoId,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    CLOSING_SWEEP_AT: 'off',
    SCAN_RATE_LIMIT_PER_MINUTE: NO_LIMIT,
    SCAN_BATCH_RATE_LIMIT_PER_MINUTE: NO_LIMIT,
  };
  const service = startService(SERVICE_DIR, env, { profile: true });
  children.push(service);
  await waitReady(port, 300_000, service);
  t0 = performance.now();
  while ((await redis.hlen(keys.people())) < BADGES) await new Promise((r) => setTimeout(r, 500));
  log(`service knows all ${BADGES} attendees (${((performance.now() - t0) / 1000).toFixed(1)} s after ready)`);
  const memoryLoaded = await usedMemory(redis);
  const knownHashes = await hashMemory(redis, { people: keys.people(), interests: keys.interests() });
  await api(port, 'PUT', '/v1/zones/necc', { name: 'NECC', kind: 'venue', parentId: null, capacity: null, antiPassback: 'soft' });
  const deviceKeys: string[] = [];
  for (let h = 1; h <= HALLS; h++) {
    const zoneId = `hall-${h}`;
    await api(port, 'PUT', `/v1/zones/${zoneId}`, { name: `Hall ${h}`, kind: 'hall', parentId: 'necc', capacity: 1_000_000, antiPassback: 'soft' });
    await api(port, 'PUT', `/v1/gates/gate-${h}`, { zoneId });
    for (let d = 0; d < DEVICES_PER_HALL; d++)
      deviceKeys.push(((await api(port, 'POST', '/v1/devices', { gateId: `gate-${h}` })) as { deviceKey: string }).deviceKey);
  }
  const nextScan = scanStream(deviceKeys, tokens);
  const nextFloorScan = scanStream(deviceKeys, tokens);
  const url = `http://127.0.0.1:${port}/v1/scans`;
  // Warm-up: every active badge scanned once, so its token is verified once (Ed25519) and then
  // remembered, as happens at the venue entrance in the morning.
  t0 = performance.now();
  const warm = await load({ url, connections: GATES, durationSeconds: 3600, amount: ACTIVE, next: nextScan });
  const coldSeconds = (performance.now() - t0) / 1000;
  log(`warm-up: ${ACTIVE} first scans of their badge in ${coldSeconds.toFixed(1)} s (${Math.round(ACTIVE / coldSeconds)}/s, non-2xx ${warm.non2xx})`);
  const memoryWarm = await usedMemory(redis);
  const scannedHashes = await hashMemory(redis, { location: keys.location(), lastMove: keys.lastMove(), badgeAttendee: keys.badgeAttendee() });
  const decisionKey = await meanKeyMemory(redis, keys.decision('*'));
  const redisMemory = {
    note: 'used_memory deltas are of the whole Redis: meaningful only on the benchmark own Redis (REDIS_URL unset); MEMORY USAGE is exact',
    usedMemoryMb: {
      beforeService: Number((memoryBefore / 2 ** 20).toFixed(1)),
      badgesLoaded: Number((memoryLoaded / 2 ** 20).toFixed(1)),
      afterWarmUp: Number((memoryWarm / 2 ** 20).toFixed(1)),
    },
    bytesPerKnownBadge: Math.round((memoryLoaded - memoryBefore) / BADGES),
    bytesPerScannedBadge: Math.round((memoryWarm - memoryLoaded) / ACTIVE),
    knownBadgeHashes: knownHashes,
    scannedBadgeHashes: scannedHashes,
    decisionKeyBytes: decisionKey,
  };
  log(
    `Redis: ${redisMemory.bytesPerKnownBadge} B per known badge (people ${knownHashes.people!.bytesPerField} + interests ${knownHashes.interests!.bytesPerField} B per field), ${redisMemory.bytesPerScannedBadge} B per scanned badge (location ${scannedHashes.location!.bytesPerField}, last move ${scannedHashes.lastMove!.bytesPerField}, badge-attendee ${scannedHashes.badgeAttendee!.bytesPerField} B per field; a decision key ${decisionKey.bytes} B)`,
  );

  // 2. The bare server and the floor beside the service, same flags, same Kafka and Redis.
  const barePort = await freePort();
  const bare = startWithServiceFlags('bench/bare-server.ts', { ...process.env, PORT: String(barePort) });
  children.push(bare);
  const floorPort = await freePort();
  const floor = startWithServiceFlags('bench/floor-server.ts', { ...env, PORT: String(floorPort), FLOOR_TOPIC: floorTopic });
  children.push(floor);
  await Promise.all([waitListening(barePort, bare), waitListening(floorPort, floor)]);
  const infraPids = {
    ...(infra.kafka ? { kafka: infra.kafka.pid } : {}),
    ...(infra.redis ? { redis: infra.redis.pid } : {}),
    loadGenerator: process.pid,
  };
  const fixedBody = JSON.stringify({ scanId: randomUUID(), badgeToken: tokens[0], direction: 'in', scannedAt: DAY });
  const floorUrl = `http://127.0.0.1:${floorPort}/v1/scans`;
  const limited = (connection: number) => ({ ...nextFloorScan(connection), path: '/limited/v1/scans' });
  const variants = {
    bare: () =>
      measured({ server: bare.pid!, ...infraPids }, () =>
        load({ url: `http://127.0.0.1:${barePort}/v1/scans`, connections: GATES, durationSeconds: SECONDS, body: fixedBody }),
      ),
    floor: () =>
      measured({ server: floor.pid!, ...infraPids }, () => load({ url: floorUrl, connections: GATES, durationSeconds: SECONDS, next: nextFloorScan })),
    floorRateLimited: () =>
      measured({ server: floor.pid!, ...infraPids }, () => load({ url: floorUrl, connections: GATES, durationSeconds: SECONDS, next: limited })),
    service: () => measured({ server: service.pid!, ...infraPids }, () => load({ url, connections: GATES, durationSeconds: SECONDS, next: nextScan })),
  };
  // Warm-up of the fresh processes (JIT, connections).
  await load({ url: `http://127.0.0.1:${barePort}/v1/scans`, connections: GATES, durationSeconds: 3, body: fixedBody });
  await load({ url: floorUrl, connections: GATES, durationSeconds: 3, next: nextFloorScan });
  await load({ url: floorUrl, connections: GATES, durationSeconds: 2, next: limited });

  const phases: Record<keyof typeof variants, Phase[]> = { bare: [], floor: [], floorRateLimited: [], service: [] };
  const scanRecords = async () => (await kafkaAdmin.fetchTopicOffsets(TOPICS.scans.name)).reduce((n, p) => n + Number(p.high), 0);
  let serviceRecords = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.keys(variants) as Array<keyof typeof variants>;
    if (round % 2 === 1) order.reverse();
    for (const name of order) {
      const before = name === 'service' ? await scanRecords() : 0;
      const phase = await variants[name]();
      if (name === 'service') serviceRecords += (await scanRecords()) - before;
      phases[name].push(phase);
      log(
        `round ${round + 1} ${name}: ${Math.round(phase.result.requestsPerSecond)}/s (non-2xx ${phase.result.non2xx}, errors ${phase.result.errors}); CPU µs per request ${JSON.stringify(phase.cpu)}, cores ${phase.coresBusyPercent} % busy`,
      );
    }
  }
  const bareFigures = pooled(phases.bare);
  const floorFigures = pooled(phases.floor);
  const limitedFigures = pooled(phases.floorRateLimited);
  const scanFigures = pooled(phases.service);
  const recordsPerScan = Number((serviceRecords / phases.service.reduce((n, p) => n + p.result.total, 0)).toFixed(2));

  // 3. Open loop at fixed rates: the service at 1,000/s and at half its maximum, the floor at 1,000/s.
  const answered = (text: string) => histogramBuckets(text, 'http_request_duration_seconds', ['route="/v1/scans"', 'status_code="200"']);
  const kafkaWait = (text: string) => histogramBuckets(text, 'kafka_send_wait_seconds', [`topic="${TOPICS.scans.name}"`]);
  let pacedDevice = 0;
  const serviceAt = async (rate: number) => {
    const meter = cpuMeter({ server: service.pid!, ...infraPids });
    const before = await scrape(port);
    const run = await openLoop({
      origin: `http://127.0.0.1:${port}`,
      requestsPerSecond: rate,
      durationSeconds: LATENCY_SECONDS,
      connections: GATES,
      next: () => nextScan(pacedDevice++),
    });
    const cpu = meter.stop(run.scheduled);
    const after = await scrape(port);
    const figures = {
      ...latencyFigures(run, rate),
      cpu: { microsecondsPerScan: cpu.perOperationUs, coresBusyPercent: cpu.machineBusyPercent },
      asTheServiceTimedThem: { answers: latencyBetween(answered(before), answered(after)), kafkaWait: latencyBetween(kafkaWait(before), kafkaWait(after)) },
      pauses: pausesBetween(before, after),
    };
    log(
      `service at ${rate}/s (open loop): p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, p99.9 ${figures.p99_9Ms} ms, max ${figures.maxMs} ms (non-2xx ${run.non2xx}, errors ${run.errors}; generator sent late p99 ${run.sendLag.p99} ms); CPU µs per scan ${JSON.stringify(cpu.perOperationUs)}, cores ${cpu.machineBusyPercent} % busy`,
    );
    for (const [what, l] of Object.entries(figures.asTheServiceTimedThem))
      log(
        `  ${what} as the service timed them: p50 <= ${l.p50AtMostMs} ms, p99 <= ${l.p99AtMostMs} ms, p99.9 <= ${l.p99_9AtMostMs} ms, ${l.within25msPercent} % within 25 ms (${l.count})`,
      );
    log(`  pauses: ${JSON.stringify(figures.pauses)}`);
    return figures;
  };
  const atFixedRate = await serviceAt(FIXED_RATE);
  const halfRate = Math.max(1, Math.round(scanFigures.perSecond / 2));
  const atHalfMax = await serviceAt(halfRate);
  let floorDevice = 0;
  const floorMeter = cpuMeter({ server: floor.pid!, ...infraPids });
  const floorRun = await openLoop({
    origin: `http://127.0.0.1:${floorPort}`,
    requestsPerSecond: FIXED_RATE,
    durationSeconds: LATENCY_SECONDS,
    connections: GATES,
    next: () => nextFloorScan(floorDevice++),
  });
  const floorCpu = floorMeter.stop(floorRun.scheduled);
  const floorAtFixedRate = {
    ...latencyFigures(floorRun, FIXED_RATE),
    cpu: { microsecondsPerScan: floorCpu.perOperationUs, coresBusyPercent: floorCpu.machineBusyPercent },
  };
  log(
    `floor at ${FIXED_RATE}/s (open loop): p50 ${floorRun.latency.p50} ms, p99 ${floorRun.latency.p99} ms, p99.9 ${floorRun.latency.p99_9} ms, max ${floorRun.latency.max} ms (non-2xx ${floorRun.non2xx}, errors ${floorRun.errors})`,
  );
  const rssScanning = peakRssMb(service.pid!);

  // 4. Offline batches of 1,000 scans, the floor's and the service's alternating.
  const batchVariants = {
    floorBatch: () =>
      measured(
        { server: floor.pid!, ...infraPids },
        () =>
          load({
            url: `http://127.0.0.1:${floorPort}/v1/scans/batch`,
            connections: BATCH_CONNECTIONS,
            durationSeconds: SECONDS,
            next: batchStream(nextFloorScan),
          }),
        BATCH_SCANS,
      ),
    batch: () =>
      measured(
        { server: service.pid!, ...infraPids },
        () => load({ url: `http://127.0.0.1:${port}/v1/scans/batch`, connections: BATCH_CONNECTIONS, durationSeconds: SECONDS, next: batchStream(nextScan) }),
        BATCH_SCANS,
      ),
  };
  const batchPhases: Record<keyof typeof batchVariants, Phase[]> = { floorBatch: [], batch: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.keys(batchVariants) as Array<keyof typeof batchVariants>;
    if (round % 2 === 1) order.reverse();
    for (const name of order) {
      const phase = await batchVariants[name]();
      batchPhases[name].push(phase);
      log(
        `round ${round + 1} ${name}: ${Math.round(phase.result.requestsPerSecond * BATCH_SCANS)} scans/s (non-2xx ${phase.result.non2xx}, errors ${phase.result.errors}); CPU µs per scan ${JSON.stringify(phase.cpu)}, cores ${phase.coresBusyPercent} % busy`,
      );
    }
  }
  const floorBatchFigures = pooled(batchPhases.floorBatch, BATCH_SCANS);
  const batchFigures = pooled(batchPhases.batch, BATCH_SCANS);
  const rssPeak = peakRssMb(service.pid!);
  const floorRss = peakRssMb(floor.pid!);
  await Promise.all([stopService(service), stopService(floor), stopService(bare)]);
  const floorKeys = await unlinkMatching(redis, `{floor-${expoId}}:*`);
  const memoryScanned = await usedMemory(redis);
  log(`${floorKeys} floor keys removed; Redis used_memory after scanning ${(memoryScanned / 2 ** 20).toFixed(1)} MB`);

  // 5. Redis loses the expo: a new instance finds no state marker, rebuilds from the log under its
  // lease and serves once whole (the state lifecycle); timed from its start to /readyz.
  const expoKeys = await redis.keys(`{${expoId}}:*`);
  for (let i = 0; i < expoKeys.length; i += 5000) await redis.unlink(...expoKeys.slice(i, i + 5000));
  t0 = performance.now();
  const rebuilding = startService(SERVICE_DIR, env);
  await waitReady(port, 600_000, rebuilding);
  const rebuildSeconds = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const records = Number(/^state_rebuild_records\{[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? NaN);
  await stopService(rebuilding);
  log(`rebuild: ${records} records folded, whole again ${rebuildSeconds.toFixed(1)} s after the start`);
  await redis.quit();

  const ratios = {
    scanToFloor: { value: ratio(scanFigures.perSecond / floorFigures.perSecond), target: `>= ${TARGETS.scanToFloor}` },
    serviceCpuToBareCpu: {
      value: ratio(scanFigures.cpuMicroseconds.server! / bareFigures.cpuMicroseconds.server!),
      target: `<= ${TARGETS.serviceCpuToBareCpu}`,
    },
    batchToFloorBatch: { value: ratio(batchFigures.perSecond / floorBatchFigures.perSecond), target: `>= ${TARGETS.batchToFloorBatch}` },
    floorRateLimitedToFloor: { value: ratio(limitedFigures.perSecond / floorFigures.perSecond), target: 'none: the limiter price' },
  };
  const met = {
    scanToFloor: ratios.scanToFloor.value >= TARGETS.scanToFloor,
    serviceCpuToBareCpu: ratios.serviceCpuToBareCpu.value <= TARGETS.serviceCpuToBareCpu,
    batchToFloorBatch: ratios.batchToFloorBatch.value >= TARGETS.batchToFloorBatch,
    latencyAt1000: atFixedRate.met,
    latencyAtHalfMax: atHalfMax.met,
  };
  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores; service, floor, bare fastify, Kafka, Redis and the load generator on the same machine',
    command: {
      BENCH_BADGES: BADGES,
      BENCH_ACTIVE: ACTIVE,
      BENCH_SECONDS: SECONDS,
      BENCH_ROUNDS: ROUNDS,
      BENCH_LATENCY_SECONDS: LATENCY_SECONDS,
      ...(process.env.BENCH_NODE_FLAGS ? { BENCH_NODE_FLAGS: process.env.BENCH_NODE_FLAGS } : {}),
    },
    badgesKnown: BADGES,
    badgesScanned: ACTIVE,
    firstScansPerSecond: Math.round(ACTIVE / coldSeconds),
    gates: GATES,
    rateLimit: `on, as in production, SCAN_RATE_LIMIT_PER_MINUTE=${NO_LIMIT} (never reached); the service has no switch to turn it off: its price is the floor's with and without it`,
    ratios,
    met,
    closedLoop: {
      tool: `autocannon, ${GATES} keep-alive connections, ${ROUNDS} rounds of ${SECONDS} s per variant, the order reversed every other round; CPU µs per request per process (/proc)`,
      bareFastify: bareFigures,
      floor: floorFigures,
      floorRateLimited: limitedFigures,
      scans: { ...scanFigures, recordsPerScan },
    },
    bareFastifyRequestsPerSecond: bareFigures.perSecond,
    floorScansPerSecond: floorFigures.perSecond,
    scansPerSecond: scanFigures.perSecond,
    latency: {
      tool: 'open loop (node:http, keep-alive, 200 connections at most): latency from each request scheduled send time',
      seconds: LATENCY_SECONDS,
      target: `p99 <= ${TARGETS.p99Ms} ms, p99.9 <= ${TARGETS.p99_9Ms} ms`,
      serviceAt1000: atFixedRate,
      serviceAtHalfMax: atHalfMax,
      floorAt1000: floorAtFixedRate,
    },
    batches: { tool: `autocannon, ${BATCH_CONNECTIONS} connections, ${BATCH_SCANS} scans per batch`, floorBatch: floorBatchFigures, batch: batchFigures },
    batchScansPerSecond: batchFigures.perSecond,
    redisMemory: { ...redisMemory, usedMemoryMbAfterScanning: Number((memoryScanned / 2 ** 20).toFixed(1)) },
    peakRssMb: { afterScans: rssScanning, afterBatches: rssPeak, floor: floorRss },
    rebuild: { records, secondsToWhole: Number(rebuildSeconds.toFixed(1)), recordsPerSecond: Math.round(records / rebuildSeconds) },
  };
  mkdirSync(join(SERVICE_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(join(SERVICE_DIR, 'bench', 'results', 'badge-scanning.json'), `${JSON.stringify(results, null, 2)}\n`);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const tail = (l: { p50Ms: number; p99Ms: number; p99_9Ms: number }) => `${l.p50Ms} / ${l.p99Ms} / ${l.p99_9Ms}`;
  console.table({
    'bare fastify (req/s; server CPU µs per req)': `${bareFigures.perSecond}; ${bareFigures.cpuMicroseconds.server}`,
    'floor POST /v1/scans (scans/s; server CPU µs per scan)': `${floorFigures.perSecond}; ${floorFigures.cpuMicroseconds.server}`,
    'floor behind the rate limit (scans/s)': `${limitedFigures.perSecond} (x${ratios.floorRateLimitedToFloor.value} of the floor)`,
    'POST /v1/scans (scans/s; service CPU µs per scan)': `${scanFigures.perSecond}; ${scanFigures.cpuMicroseconds.server} (${recordsPerScan} records per scan)`,
    'scan / floor (target >= 0.6)': `${ratios.scanToFloor.value} ${mark(met.scanToFloor)}`,
    'service CPU per scan / bare CPU per request (target <= 3)': `${ratios.serviceCpuToBareCpu.value} ${mark(met.serviceCpuToBareCpu)}`,
    'batch / floor batch (target >= 0.6)': `${ratios.batchToFloorBatch.value} ${mark(met.batchToFloorBatch)} (${batchFigures.perSecond} / ${floorBatchFigures.perSecond} scans/s)`,
    [`service at ${FIXED_RATE}/s p50 / p99 / p99.9 ms (target p99 <= 20, p99.9 <= 50)`]: `${tail(atFixedRate)} ${mark(met.latencyAt1000)}`,
    [`service at ${halfRate}/s (half max) p50 / p99 / p99.9 ms`]: `${tail(atHalfMax)} ${mark(met.latencyAtHalfMax)}`,
    [`floor at ${FIXED_RATE}/s p50 / p99 / p99.9 ms`]: tail(floorAtFixedRate),
    'Redis B per known / scanned badge': `${redisMemory.bytesPerKnownBadge} / ${redisMemory.bytesPerScannedBadge}`,
    'peak RSS (MB, target <= 300)': rssPeak,
    'rebuild (records/s)': results.rebuild.recordsPerSecond,
  });
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  if (floorTopic) await kafkaAdmin.deleteTopics({ topics: [floorTopic] }).catch(() => undefined);
  await kafkaAdmin.disconnect().catch(() => undefined);
  await infra.stop();
}
