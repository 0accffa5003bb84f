// Redis-side cost of apply-scans.lua per record: the tuples the consumer would build from the
// benchmark's scan records, sent straight to Redis in calls of BATCH (no Kafka, no service).
// `pnpm exec tsx bench/lua-micro.ts` with REDIS_URL (default 127.0.0.1:6379), N (100,000),
// BATCH (100); the keys it wrote are deleted unless KEEP is set (EXPO chooses their expo).
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { scanFacts, type ScanEvent, type ScanFacts } from '../src/domain/scan-facts.ts';
import { ExpoCalendar } from '../src/domain/time.ts';
import { applyScansCall } from '../src/store/apply-scans-call.ts';
import type { ScriptCall } from '../src/store/script-boundary.ts';
import { analyticsKeys, analyticsPrefix } from '../src/store/keys.ts';
import { scanChunks } from './scan-records.ts';

const N = Number(process.env.N ?? 100_000);
const BATCH = Number(process.env.BATCH ?? 100);
const file = process.env.LUA ?? new URL('../src/lua/apply-scans.lua', import.meta.url).pathname;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const sha = (await redis.script('LOAD', readFileSync(file, 'utf8'))) as string;
const expoId = process.env.EXPO ?? `micro-${Date.now()}`;
const keys = analyticsKeys(expoId);
const calendar = new ExpoCalendar('Asia/Shanghai');
const tuples: ScanFacts[] = [];
let offset = 0;
for (const chunk of scanChunks(N, 'micro'))
  for (const m of chunk)
    tuples.push(
      scanFacts(JSON.parse(m.value as string) as ScanEvent, { offset: String(offset++), key: String(m.key) }, calendar, {
        graceMs: 86_400_000 * 10000,
        closeDelayMs: 0,
      }),
    );
const calls: ScriptCall[] = [];
for (let i = 0; i < tuples.length; i += BATCH) calls.push(applyScansCall(keys, 'scans:0', tuples.slice(i, i + BATCH), 3600));
await redis.config('RESETSTAT');
const started = performance.now();
for (const call of calls) await redis.evalsha(sha, call.keys.length, ...call.keys, ...call.args);
const ms = performance.now() - started;
const stats = (await redis.info('commandstats')).split('\n').filter((l) => /evalsha|sadd|hset|hincrby|pfadd|hget|zadd|expire|hdel/.test(l));
console.log(
  `${N} records in ${calls.length} calls: ${(ms / 1000).toFixed(2)} s = ${Math.round(N / (ms / 1000))} rec/s, ${((ms * 1000) / N).toFixed(1)} µs/rec`,
);
console.log(stats.join('\n'));
if (!process.env.KEEP) {
  const written = await redis.keys(`${analyticsPrefix(expoId)}*`);
  for (let i = 0; i < written.length; i += 1000) await redis.del(...written.slice(i, i + 1000));
}
redis.disconnect();
