// `pnpm --filter @expo/badge-scanning bench:redis-script`: how many scans per
// second ONE Redis primary decides with the scan script (scan.lua, guarded as the service runs it).
// One expo's live state sits on one Redis Cluster slot, so this is the ceiling of one expo's scans.
//
// It starts a redis-server of its own on a free port (no persistence) and stops it at the end. Each
// run starts from the same state, written with the service's own stores: the state marker (the
// lifecycle's rebuild lease), the venue zone with its gate (ZoneStore), BENCH_BADGES people
// (RegistryStore). One scan is decided through ScanStore first (it must be accepted), which also
// loads the guarded script; redis-benchmark then sends the same EVALSHA the service sends, with
// `__rand_int__` in the badge, attendee and scan ids. After each run the state is checked: new
// decisions in the outbox, the venue's occupancy equal to the badges located, a sample of decisions
// accepted. Figures go to stdout only; the machine (2 cores) may be shared with other work.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort } from '@expo/infra';
import type { Zone } from '@expo/schemas';
import { createRedisClient, loadLuaDir, probeState, RebuildLease, ScriptRunner, stateKeys, type RedisClient } from '@expo/service-kit';
import { scanningKeys } from '../src/store/keys.ts';
import { RegistryStore, type PersonRecord } from '../src/store/registry-store.ts';
import { ScanStore, type DecideContext, type DecideInput } from '../src/store/scan-store.ts';
import { ZoneStore } from '../src/store/zone-store.ts';

const EXPO = 'ciie-2024';
const BADGES = Number(process.env.BENCH_BADGES ?? 430_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MEMORY_SECONDS = 10 * 24 * 3600;
const GATE = 'necc-north-1';
const DEVICE = 'dev-necc-north-1';
const SCANNED_AT = '2024-11-06T08:30:00.000+08:00';
const log = (line: string) => console.log(`[redis-script-bench] ${line}`);

/** The NECC's root zone as the simulator's venue defines it: 200,000 people, soft anti-passback. */
const VENUE: Zone = {
  zoneId: 'necc',
  name: 'National Exhibition and Convention Center (Shanghai)',
  kind: 'venue',
  parentId: null,
  capacity: 200_000,
  antiPassback: 'soft',
  gates: [{ gateId: GATE, name: 'North Entrance Plaza, security lane 1', devices: [{ deviceId: DEVICE, keyHash: 'a'.repeat(64), active: true }] }],
};
const HALL: Zone = {
  zoneId: 'hall-1-1',
  name: 'Hall 1.1',
  kind: 'hall',
  parentId: 'necc',
  capacity: 24_000,
  antiPassback: 'soft',
  gates: [{ gateId: 'hall-1-1-gate-1' }],
};

// `__rand_int__` becomes a 12-digit number below BENCH_BADGES, drawn afresh at each occurrence.
const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(12, '0')}`;

async function startRedis(): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return { port, process: child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}`);
}

/** What one expo's badge-scanning holds before the gates open: the state marker, the zones, the people. */
async function seed(redis: RedisClient, lifecycleScripts: ScriptRunner): Promise<void> {
  const keys = scanningKeys(EXPO);
  const lifecycle = stateKeys(EXPO, 'scan');
  // The state is declared whole the way a finished rebuild does it.
  const probe = await probeState(redis, lifecycle.marker);
  const lease = await RebuildLease.acquire(lifecycleScripts, lifecycle, 10_000, 'bench', '');
  if (!lease) throw new Error('could not take the rebuild lease');
  await lease.finish('bench', probe.now);
  const zones = new ZoneStore(redis, keys);
  await zones.save(VENUE);
  await zones.save(HALL);
  const people = new Map<string, PersonRecord>();
  for (let i = 0; i < BADGES; i++) people.set(id('att', i), { name: `Visitor ${i}`, country: 'CN', interests: ['food'] });
  await new RegistryStore(redis, lifecycleScripts, keys).putPeople(people, async () => undefined);
}

/** The state the script reads and writes, as ScanStore.decideChunk lays out its KEYS and ARGV. */
function scanCall(sha: string, scansPerCall: number, callId: string) {
  const k = scanningKeys(EXPO);
  const lifecycle = stateKeys(EXPO, 'scan');
  const keys = [
    k.zoneMeta(),
    k.gates(),
    k.location(),
    k.lastMove(),
    k.occupancy(),
    k.revoked(),
    k.people(),
    k.badgeAttendee(),
    k.unconfirmed(),
    k.unconfirmedBadges(),
  ];
  const now = Date.parse(SCANNED_AT);
  // Bounds wide enough for the fixed device time; a constant call id keeps every badge's next move
  // from waiting for a Kafka acknowledgement this benchmark never sends (commit.lua's part).
  const args = [GATE, DEVICE, 'online', String(now - 300_000), String(now + 300_000), callId, '0', String(MEMORY_SECONDS)];
  for (let i = 0; i < scansPerCall; i++) {
    // Two draws per scan id: unique enough that a run never replays an earlier scan.
    keys.push(k.decision('s__rand_int____rand_int__'));
    args.push('s__rand_int____rand_int__', 'bdg-__rand_int__', 'att-__rand_int__', 'in', '', 'venue\nhall', String(now), 'professional_visitor', SCANNED_AT);
  }
  // The guard's keys and its argument (no rebuild token), as ScriptRunner appends them.
  keys.push(lifecycle.marker, lifecycle.lease);
  args.push('');
  return ['EVALSHA', sha, String(keys.length), ...keys, ...args];
}

function redisBenchmark(port: number, pipeline: number, requests: number, command: readonly string[]): number {
  const out = spawnSync(
    'redis-benchmark',
    ['-p', String(port), '-n', String(requests), '-c', String(CLIENTS), '-P', String(pipeline), '-r', String(BADGES), '--csv', ...command],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // The CSV's first column is the command itself (it holds a newline): read the row from its end.
  const row = /"([\d.]+|inf)","[\d.]+","[\d.]+","[\d.]+","[\d.]+","[\d.]+","[\d.]+"\s*$/.exec(out.stdout);
  if (out.status !== 0 || !row) throw new Error(`redis-benchmark failed: ${out.stderr}${out.stdout.slice(-500)}`);
  return Number(row[1]);
}

async function evalshaStats(redis: RedisClient): Promise<{ calls: number; usecPerCall: number; failed: number }> {
  const line = (await redis.info('commandstats')).split('\n').find((l) => l.startsWith('cmdstat_evalsha:')) ?? '';
  const field = (name: string) => Number(new RegExp(`${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
  return { calls: field('calls'), usecPerCall: field('usec_per_call'), failed: field('failed_calls') + field('rejected_calls') };
}

async function usedMemory(redis: RedisClient): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
}

/** What the run left: new decisions, occupancy against locations, and how a sample was decided. */
async function check(
  redis: RedisClient,
): Promise<{ decisions: number; located: number; occupancy: number; sampled: number; accepted: number; decisionBytes: number }> {
  const k = scanningKeys(EXPO);
  const [decisions, located, occupancy] = await Promise.all([redis.zcard(k.unconfirmed()), redis.hlen(k.location()), redis.hget(k.occupancy(), VENUE.zoneId)]);
  // A decision's key and its outbox member come from separate draws: sample the keys themselves.
  const sample: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', k.decision('*'), 'COUNT', 1000);
    sample.push(...found);
    cursor = next;
  } while (cursor !== '0' && sample.length < 2000);
  const jsons = await Promise.all(sample.map((key) => redis.hget(key, 'j')));
  const accepted = jsons.filter((j) => j !== null && (JSON.parse(j) as { d: string }).d === 'accepted').length;
  const sizes = await Promise.all(sample.slice(0, 200).map((key) => redis.memory('USAGE', key)));
  const decisionBytes = Math.round(sizes.reduce<number>((sum, n) => sum + Number(n ?? 0), 0) / Math.max(1, sizes.length));
  return { decisions, located, occupancy: Number(occupancy ?? 0), sampled: sample.length, accepted, decisionBytes };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const server = await startRedis();
  const stop = () => server.process.kill('SIGTERM');
  process.on('exit', stop);
  log(`redis-server pid ${server.process.pid} on port ${server.port}; ${BADGES} badges, ${REQUESTS} requests, ${CLIENTS} clients, ${RUNS} runs`);
  const redis = createRedisClient({ url: `redis://127.0.0.1:${server.port}`, commandTimeoutMs: 60_000 });
  try {
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    const lifecycleScripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('./lua', import.meta.resolve('@expo/service-kit')))));
    // The service's own runner, guarded as app.ts sets it up; its first EVALSHA tells the digest.
    let sha = '';
    const watched = new Proxy(redis, {
      get(target, prop) {
        if (prop === 'evalsha') {
          return (digest: string, ...rest: unknown[]) => {
            sha = digest;
            return (target.evalsha as (...a: unknown[]) => unknown).call(target, digest, ...rest);
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const scanScripts = new ScriptRunner(watched, loadLuaDir(fileURLToPath(new URL('../src/lua', import.meta.url))), stateKeys(EXPO, 'scan'));
    const scans = new ScanStore(watched, scanScripts, scanningKeys(EXPO), MEMORY_SECONDS);

    await seed(redis, lifecycleScripts);
    const now = Date.parse(SCANNED_AT);
    const context: DecideContext = { gateId: GATE, deviceId: DEVICE, offline: false, earliestMs: now - 300_000, latestMs: now + 300_000, callId: 'bench' };
    const input: DecideInput = {
      scanId: 'probe',
      scannedAt: SCANNED_AT,
      badgeId: id('bdg', 0),
      attendeeId: id('att', 0),
      category: 'professional_visitor',
      direction: 'in',
      preReason: null,
      access: ['venue', 'hall'],
      scannedAtMs: now,
    };
    const [first] = await scans.decide(context, [input]);
    if (first?.kind !== 'new' || first.decision.decision !== 'accepted') throw new Error(`the service's scan was not accepted: ${JSON.stringify(first)}`);
    log(
      `ScanStore.decide through the service's runner: ${first.decision.decision}, ${first.decision.moves.length} move(s), occupancy ${first.decision.occupancy}; script sha ${sha}`,
    );

    // The benchmark's own command once, its placeholders filled in, through redis-cli.
    const once = scanCall(sha, 1, 'bench').map((a) => a.replaceAll('__rand_int__', '000000000001'));
    const reply = spawnSync('redis-cli', ['-p', String(server.port), ...once], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    log(`redis-cli ${once.slice(0, 3).join(' ')} …: ${reply[0]} ${(reply[1] ?? '').slice(0, 160)}…`);
    if (reply[0] !== 'new' || !(reply[1] ?? '').includes('"d":"accepted"')) throw new Error(`the benchmark's command was not accepted: ${reply.join(' ')}`);

    const rows: string[] = [];
    const measure = async (label: string, pipeline: number, scansPerCall: number, calls: number) => {
      const rates: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        await redis.flushall();
        await seed(redis, lifecycleScripts);
        await redis.config('RESETSTAT');
        const seededBytes = await usedMemory(redis);
        const load = loadavg()[0]!.toFixed(1);
        const callsPerSecond = redisBenchmark(server.port, pipeline, calls, scanCall(sha, scansPerCall, `bench-${run}`));
        const stats = await evalshaStats(redis);
        const state = await check(redis);
        const grownBytes = (await usedMemory(redis)) - seededBytes;
        const scansPerSecond = Math.round(callsPerSecond * scansPerCall);
        rates.push(scansPerSecond);
        log(
          `${label} run ${run}: ${scansPerSecond} scans/s (${Math.round(callsPerSecond)} calls/s), ${stats.usecPerCall} µs in Redis per call, ${stats.failed} failed calls; ` +
            `${state.decisions} new decisions, ${state.located} badges located = venue occupancy ${state.occupancy}, ${state.accepted}/${state.sampled} sampled accepted; Redis memory ${(seededBytes / 2 ** 20).toFixed(0)} MB seeded, +${(grownBytes / 2 ** 20).toFixed(0)} MB (${Math.round(grownBytes / state.decisions)} bytes per decided scan, its decision hash ${state.decisionBytes}); load average ${load}`,
        );
        if (stats.failed > 0 || state.decisions < calls * scansPerCall * 0.99 || state.located !== state.occupancy || state.accepted !== state.sampled)
          throw new Error(`${label} run ${run}: the script did not decide every scan`);
      }
      rows.push(`| ${label} | ${rates.join(' / ')} | ${median(rates)} |`);
    };
    await measure('scan script, 1 scan per call, -P 1', 1, 1, REQUESTS);
    await measure('scan script, 1 scan per call, -P 16', 16, 1, REQUESTS);
    await measure('scan script, 50 scans per call (offline batch chunk), -P 1', 1, 50, Math.max(1, Math.round(REQUESTS / 50)));

    for (const pipeline of [1, 16]) {
      const rates: Record<string, number[]> = { SET: [], INCR: [] };
      for (let run = 1; run <= RUNS; run++) {
        await redis.flushall();
        const out = spawnSync(
          'redis-benchmark',
          ['-p', String(server.port), '-n', String(REQUESTS), '-c', String(CLIENTS), '-P', String(pipeline), '-r', String(BADGES), '-t', 'set,incr', '--csv'],
          { encoding: 'utf8' },
        );
        for (const [, test, rps] of out.stdout.matchAll(/^"(SET|INCR)","([\d.]+)"/gm)) rates[test!]!.push(Math.round(Number(rps)));
      }
      for (const test of ['SET', 'INCR']) rows.push(`| plain ${test}, -P ${pipeline} | ${rates[test]!.join(' / ')} | ${median(rates[test]!)} |`);
    }
    console.log(['', '| what (one redis-server, ' + CLIENTS + ' clients) | runs (scans or requests/s) | median |', '| --- | --- | --- |', ...rows].join('\n'));
  } finally {
    redis.disconnect();
    stop();
  }
}

await main();
