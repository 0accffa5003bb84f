// `pnpm bench` (registration): bulk import of 400,000 attendees end to end (acknowledged by
// Kafka), then a rebuild of Redis from the topics, with the service's peak RSS during each.
// Real Kafka and Redis: KAFKA_BROKERS / REDIS_URL when set, else a fresh local broker and Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort, provisionTopics, serverNodeArgs, startInfra } from '@expo/infra';
import { attendeeCsv } from './generate-csv.ts';

const TOTAL = Number(process.env.BENCH_ATTENDEES ?? 400_000);
const PER_REQUEST = 50_000;
const SERVICE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ADMIN = 'bench-admin-token-0123456789';

/** Peak resident set size of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function waitReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registration not ready on ${port} within ${timeoutMs} ms`);
}

/**
 * The service as its `dev` script runs it: the Node flags of its node-flags file (those of `start`
 * and the image too) under tsx, then BENCH_NODE_FLAGS (later flags win) and BENCH_PROFILE for
 * experiments.
 */
function startService(env: NodeJS.ProcessEnv): ChildProcess {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE] : [];
  const args = serverNodeArgs(SERVICE_DIR, 'source');
  return spawn(process.execPath, [...args.slice(0, -1), ...flags, ...profile, args.at(-1)!], {
    cwd: SERVICE_DIR,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function stopService(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const dataDir = mkdtempSync(join(tmpdir(), 'registration-bench-'));
const infra = await startInfra({ dataDir, ownerPid: process.pid, log: (l) => console.log(`[bench] ${l}`) });
try {
  await provisionTopics(infra.kafkaBrokers);
  const port = await freePort();
  const expoId = `bench-${Date.now()}`;
  const env = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers,
    REDIS_URL: infra.redisUrl,
    ADMIN_TOKENS: ADMIN,
    OPS_TOKENS: 'bench-ops-token-0123456789ab',
    EXPO_ID: expoId,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    BADGE_SIGNING_KEYS_FILE: join(dataDir, 'keys.json'),
  };
  const headers = { authorization: `Bearer ${ADMIN}` };
  let service = startService(env);
  await waitReady(port, 60_000);
  const exhibitor = (await (
    await fetch(`http://127.0.0.1:${port}/v1/exhibitors`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Exhibitor', country: 'DE', sectors: ['tech'], hall: '5.1', booth: 'B1', products: [] }),
    })
  ).json()) as { exhibitorId: string };

  const csvs = Array.from({ length: Math.ceil(TOTAL / PER_REQUEST) }, (_, i) =>
    attendeeCsv(Math.min(PER_REQUEST, TOTAL - i * PER_REQUEST), i + 1, exhibitor.exhibitorId),
  );
  let created = 0;
  const importStarted = performance.now();
  for (const csv of csvs) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/attendees/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: csv });
    const report = (await res.json()) as { created: number; invalid: number };
    if (!res.ok || report.invalid > 0) throw new Error(`import failed: ${res.status} ${JSON.stringify(report).slice(0, 500)}`);
    created += report.created;
  }
  const importSeconds = (performance.now() - importStarted) / 1000;
  const importRss = peakRssMb(service.pid!);
  await stopService(service);

  // Redis loses the expo; a new instance finds no state marker and rebuilds from the topics.
  const redis = new Redis(infra.redisUrl);
  for (const key of await redis.keys(`{${expoId}}:*`)) await redis.unlink(key);
  redis.disconnect();
  const rebuildStarted = performance.now();
  service = startService(env);
  await waitReady(port, 300_000);
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  const rebuildRss = peakRssMb(service.pid!);
  await stopService(service);

  const results = {
    measuredAt: new Date().toISOString(),
    machine: '2 cores, 24 GB (the project machine); Kafka and Redis on the same host',
    attendees: created,
    import: {
      seconds: round(importSeconds),
      rowsPerSecond: Math.round(created / importSeconds),
      peakRssMb: round(importRss),
      target: '>= 5,000 rows/s, <= 400 MB',
    },
    rebuild: { secondsToReady: round(rebuildSeconds), peakRssMb: round(rebuildRss), target: '<= 60 s, <= 400 MB' },
  };
  const out = join(SERVICE_DIR, 'bench', 'results', 'registration.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await infra.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
