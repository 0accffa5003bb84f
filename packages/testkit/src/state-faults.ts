import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { vi } from 'vitest';
import type { DedicatedRedis } from './dedicated-redis.ts';

/** A built service with the state lifecycle: what the fault helpers need of it. */
export interface LifecycleApp {
  inject(url: string): PromiseLike<{ statusCode: number; body: string }>;
  readonly stateLifecycle: { readonly status: string; readonly rebuildRedis: { disconnect(): void } };
  readonly redis: { disconnect(): void };
}

/** Waits until `/readyz` answers `status`; answers how long that took (ms). */
export async function waitForReadiness(app: LifecycleApp, status: 200 | 503, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  await vi.waitFor(
    async () => {
      const res = await app.inject('/readyz');
      if (res.statusCode !== status) throw new Error(`/readyz stayed ${res.statusCode} for ${timeoutMs} ms: ${res.body}`);
    },
    { timeout: timeoutMs, interval: 25 },
  );
  return Date.now() - started;
}

/** FLUSHALL on a Redis of the test's own (never on the shared one: other tests live there). */
export async function flushAll(redis: DedicatedRedis): Promise<void> {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

/**
 * A failover to a copy that missed the last writes: the data is saved (the copy), `writeAfter`
 * writes more, and Redis restarts from the copy on the same port, as a promoted replica or a
 * restore from backup would present itself.
 */
export async function failOverToOlderCopy(redis: DedicatedRedis, writeAfter: () => Promise<void>): Promise<void> {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    await client.save();
  } finally {
    client.disconnect();
  }
  await writeAfter();
  await redis.restart();
  rmSync(join(redis.dir, 'dump.rdb'), { force: true });
}

/**
 * Waits until one of `apps` holds the rebuild lease, then cuts it off from Redis as a kill -9
 * would (no more renewals, no more writes). Answers the instance that did not rebuild, once that
 * one has seen the loss too.
 */
export async function crashTheRebuilder<A extends LifecycleApp>(apps: readonly A[], timeoutMs = 30_000): Promise<A> {
  const holder = await vi.waitFor(
    () => {
      const found = apps.find((a) => a.stateLifecycle.status === 'rebuilding');
      if (!found) throw new Error('no instance started rebuilding');
      return found;
    },
    { timeout: timeoutMs, interval: 5 },
  );
  holder.redis.disconnect();
  holder.stateLifecycle.rebuildRedis.disconnect();
  const survivor = apps.find((a) => a !== holder);
  if (!survivor) throw new Error('crashTheRebuilder needs two instances');
  await waitForReadiness(survivor, 503, 5000);
  return survivor;
}
