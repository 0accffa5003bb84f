// `pnpm bench` (matchmaking): the scheduler on the 20 public B2B instances (checked by the
// independent checker) and on a generated CIIE-size session; recommendations at CIIE scale, in
// process and end to end against real Kafka and Redis (KAFKA_BROKERS / REDIS_URL when set, else
// a local broker and Redis). Figures go to bench/results/matchmaking.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisionTopics, startInfra } from '@expo/infra';
import { benchIndexInProcess, benchServiceEndToEnd, CIIE_PROFILES } from './recommendations-bench.ts';
import { benchCiieSession, benchPublicInstances } from './scheduler-bench.ts';

const SERVICE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const DATA_DIR = join(SERVICE_DIR, '..', '..', '..', 'shared', 'data', 'b2b-meeting-scheduling');
const INSTANCE_BUDGET_MS = Number(process.env.BENCH_INSTANCE_BUDGET_MS ?? 2000);
const SESSION_BUDGET_MS = Number(process.env.BENCH_SESSION_BUDGET_MS ?? 3000);

const instances = benchPublicInstances(process.env.BENCH_DZN_DIR ?? DATA_DIR, INSTANCE_BUDGET_MS);
console.log(`\nScheduler, 20 public instances (local-search budget ${INSTANCE_BUDGET_MS} ms; time is the whole call)`);
console.table(instances.map((r) => ({ instance: r.instance, meetings: r.meetings, placed: r.placed, breaks: r.breaks, 'time ms': r.timeMs, checker: r.checker })));
const session = benchCiieSession(SESSION_BUDGET_MS);
console.log('\nScheduler, generated CIIE-size session');
console.table([{ participants: session.participants, meetings: session.meetings, tables: session.tables, slots: session.slots, placed: session.placed, 'placed share': session.placedShare, breaks: session.breaks, 'time ms': session.timeMs, checker: session.checker }]);

const inProcess = benchIndexInProcess(CIIE_PROFILES);
console.log('\nRecommendations, index in process (no HTTP)');
console.table([{ 'build ms': inProcess.buildMs, 'buyer p50': inProcess.buyerRecommendations.p50Ms, 'buyer p99': inProcess.buyerRecommendations.p99Ms, 'exhibitor p50': inProcess.exhibitorRecommendations.p50Ms, 'exhibitor p99': inProcess.exhibitorRecommendations.p99Ms }]);

let service: Awaited<ReturnType<typeof benchServiceEndToEnd>> | { skipped: string };
if (process.env.BENCH_SKIP_SERVICE) service = { skipped: 'BENCH_SKIP_SERVICE set' };
else {
  const dataDir = mkdtempSync(join(tmpdir(), 'matchmaking-bench-'));
  const infra = await startInfra({ dataDir, ownerPid: process.pid, log: (l) => console.log(`[bench] ${l}`) });
  try {
    await provisionTopics(infra.kafkaBrokers);
    service = await benchServiceEndToEnd(SERVICE_DIR, infra, CIIE_PROFILES);
  } finally {
    await infra.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('\nRecommendations, service end to end (HTTP over loopback, real Kafka and Redis)');
  console.table([{
    'index build s': service.indexBuildSecondsToReady,
    'buyer p50 ms': service.buyerRecommendationsHttp.p50Ms, 'buyer p99 ms': service.buyerRecommendationsHttp.p99Ms,
    'exhibitor p50 ms': service.exhibitorRecommendationsHttp.p50Ms, 'exhibitor p99 ms': service.exhibitorRecommendationsHttp.p99Ms,
    'peak RSS MB': service.servicePeakRssMb,
  }]);
}

const results = {
  measuredAt: new Date().toISOString(),
  machine: '2 cores shared with other work; Kafka and Redis on the same host',
  scheduler: {
    breaks: 'idle gaps between a participant’s first and last meeting of a day, recounted by the checker',
    publicInstances: { localSearchBudgetMs: INSTANCE_BUDGET_MS, target: 'every meeting placed, checker ok, <= 5 s each', rows: instances },
    ciieSession: session,
  },
  recommendations: {
    target: 'p99 <= 20 ms per request, index build from the topics <= 30 s, RSS <= 500 MB',
    inProcess,
    service,
  },
};
const out = join(SERVICE_DIR, 'bench', 'results', 'matchmaking.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${out}`);
