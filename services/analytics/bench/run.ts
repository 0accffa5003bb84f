// `pnpm bench` (analytics): consumer throughput over a pre-filled topic of scan records, dashboard
// update latency (record → browser) at a steady scan rate, a one-day footfall query, peak RSS.
// Real Kafka and Redis: KAFKA_BROKERS / REDIS_URL when set, else a fresh local broker and Redis.
// BENCH_EVENTS (default 1,000,000), BENCH_LIVE_RATE (1,000/s), BENCH_LIVE_SECONDS (20).
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { BusProducer } from '@expo/bus';
import { createKafka, ensureTopics, freePort, startInfra, startService } from '@expo/infra';
import { dlqDefinition, topicDefinition } from '@expo/schemas';
import { chromium } from 'playwright-core';
import { withTopicPrefix } from '@expo/service-kit';
import { DEFAULT_TOPICS } from '../src/app.ts';
import { analyticsPrefix } from '../src/store/keys.ts';
import { liveEntry, scanChunks } from './scan-records.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const LIVE_RATE = Number(process.env.BENCH_LIVE_RATE ?? 1000);
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 20);
const SERVICE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const OPS = 'bench-ops-token-0123456789ab';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

const dataDir = mkdtempSync(join(tmpdir(), 'analytics-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log: (l) => console.log(`[bench] ${l}`) });
const run = `bench-${Date.now()}`;
const topics = withTopicPrefix(DEFAULT_TOPICS, `${run}.`);
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'analytics-bench' });
const definitions = Object.values(topics).map(topicDefinition);
await ensureTopics(kafka, [...definitions, ...definitions.map(dlqDefinition)]);
const producer = new BusProducer(kafka, { source: 'badge-scanning', sendTimeoutMs: 30_000 });
const redis = new Redis(infra.redisUrl);
let service: ChildProcess | null = null;

try {
  console.log(`[bench] writing ${EVENTS} scan records to ${topics.scans.name}`);
  const fillStarted = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (const chunk of scanChunks(EVENTS, run)) {
    inFlight.push(producer.sendRaw(topics.scans.name, chunk));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  console.log(`[bench] topic filled in ${round((performance.now() - fillStarted) / 1000)} s`);
  await producer.sendRaw(topics.zones.name, [
    {
      key: 'bench-live',
      value: JSON.stringify({
        id: crypto.randomUUID(),
        type: 'zone.defined',
        schemaVersion: 1,
        eventId: run,
        source: 'badge-scanning',
        occurredAt: new Date().toISOString(),
        recordedAt: new Date().toISOString(),
        data: {
          zoneId: 'bench-live',
          name: 'Bench hall',
          kind: 'hall',
          parentId: null,
          capacity: 1_000_000,
          antiPassback: 'soft',
          gates: [],
          changed: ['zoneId'],
        },
      }),
      headers: { type: 'zone.defined', schemaVersion: '1' },
    },
  ]);

  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    OPS_TOKENS: OPS,
    EXPO_ID: run,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    TOPIC_PREFIX: `${run}.`,
    CONSUMER_GROUP: run,
    LATE_GRACE_MS: String(10 * 365 * 86_400_000),
  };
  const startedAt = performance.now();
  service = startService(SERVICE_DIR, env, { profile: true });
  const admin = kafka.admin();
  await admin.connect();
  const consumed = async () => {
    const [committed] = await admin.fetchOffsets({ groupId: `${run}.scans`, topics: [topics.scans.name] });
    return (committed?.partitions ?? []).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
  };
  let firstAt = 0;
  let firstCount = 0;
  for (let last = -1; ; await sleep(250)) {
    const done = await consumed();
    if (done > 0 && firstAt === 0) [firstAt, firstCount] = [performance.now(), done];
    if (done !== last) console.log(`[bench] consumed ${done}`);
    last = done;
    if (done >= EVENTS) break;
  }
  const doneAt = performance.now();
  // A fresh start is a state lost: the service folds the topics from their start under the state
  // lifecycle and serves once it has reached the end offsets they had when it began.
  while (
    (await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  )
    await sleep(100);
  const wholeAt = performance.now();
  const throughput = {
    events: EVENTS,
    secondsFromStart: round((doneAt - startedAt) / 1000),
    secondsToWhole: round((wholeAt - startedAt) / 1000),
    eventsPerSecond: Math.round((EVENTS - firstCount) / ((doneAt - firstAt) / 1000)),
    eventsPerSecondFromStart: Math.round(EVENTS / ((doneAt - startedAt) / 1000)),
    peakRssMb: round(peakRssMb(service.pid!)),
    target: '>= 20,000 events/s',
  };
  console.log('[bench] throughput', throughput);

  // The footfall of one zone over one local day (1-minute buckets: 1,440 rows at most).
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${OPS}` };
  const dayQuery = `${base}/v1/footfall?zoneId=hall-1&bucket=1m&from=2024-11-04T16:00:00Z&to=2024-11-05T16:00:00Z`;
  const timings: number[] = [];
  let rows = 0;
  for (let i = 0; i < 310; i++) {
    const t0 = performance.now();
    const body = (await (await fetch(dayQuery, { headers })).json()) as { buckets: unknown[] };
    timings.push(performance.now() - t0);
    rows = body.buckets.length;
  }
  const footfallQuery = { rows, p50Ms: round(percentile(timings.slice(10), 0.5)), p99Ms: round(percentile(timings.slice(10), 0.99)), target: '<= 50 ms' };
  console.log('[bench] one-day footfall query', footfallQuery);

  // Dashboard latency: a browser signed in; scans at a steady rate into one zone; for each send,
  // the time until the page shows an occupancy that includes it.
  // The flags of testkit's launchChromium (testkit itself needs a vitest run).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.addInitScript(`
    window.benchSeen = [];
    window.addEventListener('dashboard:live', (e) => {
      const zone = e.detail.zones.find((z) => z.zoneId === 'bench-live');
      window.benchSeen.push([Date.now(), zone ? zone.occupancy : 0]);
    });`);
  await page.goto(`${base}/dashboard`);
  await page.fill('#token', OPS);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('#connection.on', { timeout: 30_000 });
  const sends: Array<[number, number]> = [];
  let made = 0;
  const liveStart = Date.now();
  while (Date.now() - liveStart < LIVE_SECONDS * 1000) {
    const tickStart = Date.now();
    // As many as keep the rate over the run so far (a late tick sends more).
    const due = Math.floor(((tickStart - liveStart) / 1000) * LIVE_RATE) + 1 - made;
    const batch = Array.from({ length: Math.max(1, due) }, () => liveEntry(made++, run));
    sends.push([tickStart, made]);
    void producer.sendRaw(topics.scans.name, batch);
    await sleep(Math.max(0, 20 - (Date.now() - tickStart)));
  }
  await sleep(3000);
  const seen = await page.evaluate<Array<[number, number]>>('window.benchSeen');
  await browser.close();
  const latencies = sends.map(([sentAt, count]) => {
    const shown = seen.find(([, occupancy]) => occupancy >= count);
    return shown ? shown[0] - sentAt : Infinity;
  });
  const dashboard = {
    scansPerSecond: Math.round(made / LIVE_SECONDS),
    seconds: LIVE_SECONDS,
    sends: sends.length,
    updatesSeen: seen.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: Math.max(...latencies),
    measuredFrom: 'just before the record is sent to Kafka, to the page receiving the update that includes it',
    target: 'p99 <= 1000 ms',
  };
  console.log('[bench] dashboard latency', dashboard);
  await admin.disconnect();

  const results = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, shared with other work during the run; Kafka and Redis on the same host`,
    throughput,
    footfallQuery,
    dashboard,
    peakRssMb: round(peakRssMb(service.pid!)),
  };
  mkdirSync(join(SERVICE_DIR, 'bench', 'results'), { recursive: true });
  writeFileSync(join(SERVICE_DIR, 'bench', 'results', 'analytics.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  if (service) {
    const exited = new Promise((r) => service!.once('exit', r));
    service.kill('SIGTERM');
    await exited;
  }
  await producer.disconnect();
  // Leave the shared broker and Redis as they were.
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...definitions.map((d) => d.name), ...definitions.map((d) => dlqDefinition(d).name)] }).catch(() => undefined);
  await admin.disconnect();
  const prefix = analyticsPrefix(run);
  for (let cursor = '0'; ;) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  redis.disconnect();
  await infra.stop();
}
