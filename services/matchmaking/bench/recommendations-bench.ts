import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BusProducer, createKafka } from '@expo/bus';
import { freePort, serverNodeArgs } from '@expo/infra';
import { TOPICS } from '@expo/schemas';
import { exhibitorProfile, attendeeBuyer } from '../src/domain/recommend/profiles.ts';
import { Recommender } from '../src/domain/recommend/recommender.ts';
import { DEFAULT_WEIGHTS } from '../src/domain/recommend/scoring.ts';
import { generateProfiles, type ProfileShape } from './generate-profiles.ts';

const ADMIN = 'bench-admin-token-0123456789';

export const CIIE_PROFILES: ProfileShape = { exhibitors: 3500, productsPerExhibitor: 10, buyers: 15_000, requirements: 12_000 };

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : NaN;
}

function percentile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN) * 100) / 100;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { requests: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: percentile(sorted, 1) };
}

/** The pure index in this process: how long scoring takes without HTTP. */
export function benchIndexInProcess(shape: ProfileShape) {
  const data = generateProfiles(shape, 'inproc');
  const started = performance.now();
  const recommender = new Recommender(DEFAULT_WEIGHTS);
  for (const e of data.exhibitors) recommender.setExhibitor(exhibitorProfile(e));
  for (const a of data.buyers) recommender.setBuyer(attendeeBuyer(a)!);
  const byBuyer = new Map<string, typeof data.requirements>();
  for (const r of data.requirements) byBuyer.set(r.buyerId, [...(byBuyer.get(r.buyerId) ?? []), r]);
  for (const [buyerId, list] of byBuyer) {
    recommender.setRequirements(
      buyerId,
      list.map((r, i) => ({ ...r.body, requirementId: `r${i}`, buyerId, createdAt: new Date().toISOString() })),
    );
  }
  const buildMs = Math.round(performance.now() - started);
  const time = (fn: () => unknown) => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  };
  const buyerLatencies = Array.from({ length: 2000 }, (_, i) => time(() => recommender.forBuyer(data.buyers[(i * 7919) % data.buyers.length]!.attendeeId, 20)));
  const exhibitorLatencies = Array.from({ length: 1000 }, (_, i) =>
    time(() => recommender.forExhibitor(data.exhibitors[(i * 104729) % data.exhibitors.length]!.exhibitorId, 20)),
  );
  return { buildMs, buyerRecommendations: summary(buyerLatencies), exhibitorRecommendations: summary(exhibitorLatencies) };
}

function startService(serviceDir: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, serverNodeArgs(serviceDir, 'source'), { cwd: serviceDir, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

async function stopService(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
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
  throw new Error(`matchmaking not ready on ${port} within ${timeoutMs} ms`);
}

async function inBatches<T>(items: readonly T[], size: number, fn: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/**
 * End to end at CIIE scale: profiles written to the real topics, requirements posted over HTTP,
 * then a fresh instance builds its index from the topics (and Redis) and serves recommendations.
 */
export async function benchServiceEndToEnd(serviceDir: string, infra: { kafkaBrokers: string; redisUrl: string }, shape: ProfileShape) {
  const expoId = `bench-mm-${Date.now()}`;
  const data = generateProfiles(shape, expoId);
  const producer = new BusProducer(createKafka({ brokers: infra.kafkaBrokers, clientId: 'matchmaking-bench' }), {
    source: 'registration',
    sendTimeoutMs: 30_000,
  });
  await inBatches(data.exhibitors, 500, (batch) =>
    producer.send(
      TOPICS.exhibitors,
      batch.map((e) => ({ type: 'exhibitor.registered' as const, eventId: expoId, data: { ...e, changed: ['exhibitorId'] } })),
    ),
  );
  await inBatches(data.buyers, 2000, (batch) =>
    producer.send(
      TOPICS.attendees,
      batch.map((a) => ({ type: 'attendee.registered' as const, eventId: expoId, data: { ...a, status: 'active' as const, changed: ['attendeeId'] } })),
    ),
  );
  await producer.disconnect();
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
  };
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  let service = startService(serviceDir, env);
  await waitReady(port, 120_000);
  const postStarted = performance.now();
  await inBatches(data.requirements, 16, (batch) =>
    Promise.all(
      batch.map(async (r) => {
        const res = await fetch(url(`/v1/buyers/${r.buyerId}/requirements`), { method: 'POST', headers, body: JSON.stringify(r.body) });
        if (res.status !== 201) throw new Error(`requirement answered ${res.status}: ${await res.text()}`);
      }),
    ),
  );
  const postSeconds = (performance.now() - postStarted) / 1000;
  await stopService(service);

  const buildStarted = performance.now();
  service = startService(serviceDir, env);
  await waitReady(port, 300_000);
  const indexBuildSeconds = (performance.now() - buildStarted) / 1000;
  const get = async (path: string) => {
    const t = performance.now();
    const res = await fetch(url(path), { headers });
    await res.json();
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return performance.now() - t;
  };
  const buyerLatencies: number[] = [];
  for (let i = 0; i < 2000; i++)
    buyerLatencies.push(await get(`/v1/buyers/${data.buyers[(i * 7919) % data.buyers.length]!.attendeeId}/recommendations?limit=20`));
  const exhibitorLatencies: number[] = [];
  for (let i = 0; i < 1000; i++)
    exhibitorLatencies.push(await get(`/v1/exhibitors/${data.exhibitors[(i * 104729) % data.exhibitors.length]!.exhibitorId}/recommendations?limit=20`));
  const rss = peakRssMb(service.pid!);
  await stopService(service);
  return {
    ...shape,
    requirementsPosted: {
      count: data.requirements.length,
      seconds: Math.round(postSeconds * 10) / 10,
      perSecond: Math.round(data.requirements.length / postSeconds),
    },
    indexBuildSecondsToReady: Math.round(indexBuildSeconds * 10) / 10,
    buyerRecommendationsHttp: summary(buyerLatencies),
    exhibitorRecommendationsHttp: summary(exhibitorLatencies),
    servicePeakRssMb: rss,
  };
}
