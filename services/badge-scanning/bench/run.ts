// `pnpm bench` (badge-scanning), in one run on real Kafka and Redis (KAFKA_BROKERS / REDIS_URL when
// set, else a fresh local broker and Redis):
//   1. a bare fastify route answering a fixed JSON body: the HTTP ceiling of this machine;
//   2. POST /v1/scans at full load (many gates, keep-alive, entries and exits, ~1 % forged tokens,
//      ~1 % retries), then at half that rate for latency; peak RSS with BENCH_BADGES badges known;
//   3. offline batches through POST /v1/scans/batch; 4. the rebuild of Redis from the scan log.
// Figures go to bench/results/badge-scanning.json.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BadgeKeyRing, signBadgeToken } from '@expo/badges';
import { BusProducer, createKafka } from '@expo/bus';
import { freePort, peakRssMb, provisionTopics, serviceDir, startInfra, startService, stopService, waitReady } from '@expo/infra';
import { TOPICS } from '@expo/schemas';
import { cpuMeter } from './cpu.ts';
import { load, pacedLoad, randomUUID } from './load.ts';
import { histogramBuckets, latencyBetween, pausesBetween, scrape } from './service-metrics.ts';

const BADGES = Number(process.env.BENCH_BADGES ?? 400_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
// The badges scanned during the run: a peak day's arrivals (docs/architecture.md), each scanned again and
// again as visitors move, while all BADGES are known to the service.
const ACTIVE = Math.min(BADGES, Number(process.env.BENCH_ACTIVE ?? 150_000));
const HALLS = 20;
const DEVICES_PER_HALL = 10;
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

const dataDir = mkdtempSync(join(tmpdir(), 'scanning-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log });
const children: ChildProcess[] = [];
try {
  await provisionTopics(infra.kafkaBrokers);
  const expoId = `bench-${Date.now()}`;
  const keyRing = BadgeKeyRing.generate();
  let t0 = performance.now();
  const tokens = await publishRegistrations(infra.kafkaBrokers, expoId, keyRing);
  log(`${BADGES} attendees published and their tokens signed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 1. The ceiling: bare fastify.
  const barePort = await freePort();
  const bare = startService(SERVICE_DIR, { ...process.env, PORT: String(barePort) }, { script: 'bench/bare-server.ts' });
  children.push(bare);
  await new Promise((r) => setTimeout(r, 1500));
  const fixedBody = JSON.stringify({ scanId: randomUUID(), badgeToken: tokens[0], direction: 'in', scannedAt: DAY });
  await load({ url: `http://127.0.0.1:${barePort}/v1/scans`, connections: HALLS * DEVICES_PER_HALL, durationSeconds: 3, body: fixedBody });
  const ceiling = await load({
    url: `http://127.0.0.1:${barePort}/v1/scans`,
    connections: HALLS * DEVICES_PER_HALL,
    durationSeconds: SECONDS,
    body: fixedBody,
  });
  await stopService(bare);
  log(`bare fastify: ${Math.round(ceiling.requestsPerSecond)} req/s`);

  // 2. The service, with every badge known.
  const port = await freePort();
  const redis = new Redis(infra.redisUrl);
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
  };
  const service = startService(SERVICE_DIR, env, { profile: true });
  children.push(service);
  await waitReady(port, 300_000, service);
  t0 = performance.now();
  while ((await redis.hlen(`{${expoId}}:scan:people`)) < BADGES) await new Promise((r) => setTimeout(r, 500));
  log(`service knows all ${BADGES} attendees (${((performance.now() - t0) / 1000).toFixed(1)} s after ready)`);
  await api(port, 'PUT', '/v1/zones/necc', { name: 'NECC', kind: 'venue', parentId: null, capacity: null, antiPassback: 'soft' });
  const deviceKeys: string[] = [];
  for (let h = 1; h <= HALLS; h++) {
    const zoneId = `hall-${h}`;
    await api(port, 'PUT', `/v1/zones/${zoneId}`, { name: `Hall ${h}`, kind: 'hall', parentId: 'necc', capacity: 1_000_000, antiPassback: 'soft' });
    await api(port, 'PUT', `/v1/gates/gate-${h}`, { zoneId });
    for (let d = 0; d < DEVICES_PER_HALL; d++)
      deviceKeys.push(((await api(port, 'POST', '/v1/devices', { gateId: `gate-${h}` })) as { deviceKey: string }).deviceKey);
  }

  // Each connection is one gate device with its own share of the badges, each badge alternating
  // in and out of the device's hall; ~1 % forged tokens and ~1 % retries of the previous scan.
  const inside = new Uint8Array(BADGES);
  const cursor = new Int32Array(deviceKeys.length);
  const previous: string[] = [];
  let rnd = 12345;
  const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nextScan = (connection: number) => {
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
  const url = `http://127.0.0.1:${port}/v1/scans`;
  // Warm-up: every active badge scanned once, so its token is verified once (Ed25519) and then
  // remembered, as happens at the venue entrance in the morning.
  t0 = performance.now();
  const warm = await load({ url, connections: deviceKeys.length, durationSeconds: 3600, amount: ACTIVE, next: nextScan });
  const coldSeconds = (performance.now() - t0) / 1000;
  log(`warm-up: ${ACTIVE} first scans of their badge in ${coldSeconds.toFixed(1)} s (${Math.round(ACTIVE / coldSeconds)}/s, non-2xx ${warm.non2xx})`);
  const pids = {
    service: service.pid!,
    ...(infra.kafka ? { kafka: infra.kafka.pid } : {}),
    ...(infra.redis ? { redis: infra.redis.pid } : {}),
    loadGenerator: process.pid,
  };
  const meter = cpuMeter(pids);
  const full = await load({ url, connections: deviceKeys.length, durationSeconds: SECONDS, next: nextScan });
  const cpu = meter.stop(full.total);
  log(
    `scans at full load: ${Math.round(full.requestsPerSecond)}/s (non-2xx ${full.non2xx}, errors ${full.errors}); CPU µs per scan ${JSON.stringify(cpu.perOperationUs)}, cores ${cpu.machineBusyPercent} % busy`,
  );
  // Half the maximum rate, paced (open loop): scans start at even intervals, spread over the devices.
  let pacedDevice = 0;
  const halfMeter = cpuMeter(pids);
  const answered = (text: string) => histogramBuckets(text, 'http_request_duration_seconds', ['route="/v1/scans"', 'status_code="200"']);
  const kafkaWait = (text: string) => histogramBuckets(text, 'kafka_send_wait_seconds', [`topic="${TOPICS.scans.name}"`]);
  const metricsBefore = await scrape(port);
  const half = await pacedLoad({
    url,
    requestsPerSecond: Math.max(1, Math.round(full.requestsPerSecond / 2)),
    durationSeconds: SECONDS,
    next: () => nextScan(pacedDevice++),
  });
  const halfCpu = halfMeter.stop(half.total);
  const metricsAfter = await scrape(port);
  const halfServer = {
    answers: latencyBetween(answered(metricsBefore), answered(metricsAfter)),
    kafkaWait: latencyBetween(kafkaWait(metricsBefore), kafkaWait(metricsAfter)),
  };
  const halfPauses = pausesBetween(metricsBefore, metricsAfter);
  log(
    `scans at half load: ${Math.round(half.requestsPerSecond)}/s, p50 ${half.latency.p50} ms, p99 ${half.latency.p99} ms, p99.9 ${half.latency.p99_9} ms (non-2xx ${half.non2xx}, errors ${half.errors}); CPU µs per scan ${JSON.stringify(halfCpu.perOperationUs)}, cores ${halfCpu.machineBusyPercent} % busy`,
  );
  for (const [what, l] of Object.entries(halfServer))
    log(`  ${what} as the service timed them: ${l.within25msPercent} % within 25 ms, p50 <= ${l.p50AtMostMs} ms, p99 <= ${l.p99AtMostMs} ms (${l.count})`);
  log(`  pauses: ${JSON.stringify(halfPauses)}`);
  const rssScanning = peakRssMb(service.pid!);

  // 3. Offline batches of 1,000 scans from the devices.
  const nextBatch = (connection: number) => {
    const c = connection % deviceKeys.length;
    const scans = Array.from({ length: 1000 }, () => JSON.parse(nextScan(c).body) as object);
    return { path: '/v1/scans/batch', headers: { authorization: `Bearer ${deviceKeys[c]}` }, body: JSON.stringify({ scans }) };
  };
  const batchMeter = cpuMeter(pids);
  const batch = await load({ url: `http://127.0.0.1:${port}/v1/scans/batch`, connections: 4, durationSeconds: SECONDS, next: nextBatch });
  const batchCpu = batchMeter.stop(batch.total * 1000);
  log(
    `offline batches: ${Math.round(batch.requestsPerSecond * 1000)} scans/s (non-2xx ${batch.non2xx}); CPU µs per scan ${JSON.stringify(batchCpu.perOperationUs)}, cores ${batchCpu.machineBusyPercent} % busy`,
  );
  const rssPeak = peakRssMb(service.pid!);
  await stopService(service);

  // 4. Redis loses the expo: a new instance finds no state marker, rebuilds from the log under its
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

  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores; service, Kafka, Redis and the load generator on the same machine',
    badgesKnown: BADGES,
    badgesScanned: ACTIVE,
    firstScansPerSecond: Math.round(ACTIVE / coldSeconds),
    gates: deviceKeys.length,
    bareFastifyRequestsPerSecond: Math.round(ceiling.requestsPerSecond),
    scansPerSecond: Math.round(full.requestsPerSecond),
    ratioToBareFastify: Number((full.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
    halfLoad: {
      tool: 'loadtest, open loop: scans start at even intervals',
      scansPerSecond: Math.round(half.requestsPerSecond),
      p50Ms: half.latency.p50,
      p99Ms: half.latency.p99,
      p99_9Ms: half.latency.p99_9,
      cpu: { microsecondsPerScan: halfCpu.perOperationUs, coresBusyPercent: halfCpu.machineBusyPercent },
      asTheServiceTimedThem: halfServer,
      pauses: halfPauses,
    },
    fullLoadNon2xx: full.non2xx + full.errors,
    halfLoadNon2xx: half.non2xx + half.errors,
    fullLoadCpu: { microsecondsPerScan: cpu.perOperationUs, coresBusyPercent: cpu.machineBusyPercent },
    batchScansPerSecond: Math.round(batch.requestsPerSecond * 1000),
    batchCpu: { microsecondsPerScan: batchCpu.perOperationUs, coresBusyPercent: batchCpu.machineBusyPercent },
    peakRssMb: { afterScans: rssScanning, afterBatches: rssPeak },
    rebuild: { records, secondsToWhole: Number(rebuildSeconds.toFixed(1)), recordsPerSecond: Math.round(records / rebuildSeconds) },
  };
  mkdirSync(join(SERVICE_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(join(SERVICE_DIR, 'bench', 'results', 'badge-scanning.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.table({
    'bare fastify (req/s)': results.bareFastifyRequestsPerSecond,
    'POST /v1/scans (scans/s)': results.scansPerSecond,
    'ratio (target >= 0.5)': results.ratioToBareFastify,
    'half load p50 / p99 / p99.9 (ms)': `${half.latency.p50} / ${half.latency.p99} / ${half.latency.p99_9}`,
    'batch (scans/s, target >= 50,000)': results.batchScansPerSecond,
    'peak RSS (MB, target <= 300)': rssPeak,
    'rebuild (records/s)': results.rebuild.recordsPerSecond,
  });
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await infra.stop();
}
