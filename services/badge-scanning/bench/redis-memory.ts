// What the scanning state costs in Redis: `INFO memory` (the whole instance, so only meaningful on
// the benchmark's own Redis) and `MEMORY USAGE` of the keys that grow with badges (exact, any Redis).
import type { Redis } from 'ioredis';

/** `used_memory` of INFO memory, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
}

export interface HashMemory {
  readonly bytes: number;
  readonly fields: number;
  readonly bytesPerField: number;
}

/** MEMORY USAGE (every field counted: SAMPLES 0) and HLEN of each hash, by name. */
export async function hashMemory(redis: Redis, keys: Readonly<Record<string, string>>): Promise<Record<string, HashMemory>> {
  const entries = await Promise.all(
    Object.entries(keys).map(async ([name, key]) => {
      const [bytes, fields] = await Promise.all([redis.memory('USAGE', key, 'SAMPLES', 0), redis.hlen(key)]);
      const b = Number(bytes ?? 0);
      return [name, { bytes: b, fields, bytesPerField: fields ? Math.round(b / fields) : 0 }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The keys matching `pattern` (SCAN), at most `limit`. */
async function matching(redis: Redis, pattern: string, limit: number): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0' && found.length < limit);
  return found.slice(0, limit);
}

/** Mean MEMORY USAGE of up to `sample` keys matching `pattern`. */
export async function meanKeyMemory(redis: Redis, pattern: string, sample = 200): Promise<{ bytes: number; sampled: number }> {
  const keys = await matching(redis, pattern, sample);
  const sizes = await Promise.all(keys.map((key) => redis.memory('USAGE', key)));
  return { bytes: Math.round(sizes.reduce<number>((sum, n) => sum + Number(n ?? 0), 0) / Math.max(1, keys.length)), sampled: keys.length };
}

/** Removes every key matching `pattern`; returns how many. */
export async function unlinkMatching(redis: Redis, pattern: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    if (keys.length > 0) removed += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return removed;
}
