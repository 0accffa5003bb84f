import type { Redis } from 'ioredis';
import type { MarkerFields } from './rebuild-lease.ts';

/** Why a service's Redis state cannot be served. */
export type StateLoss = 'missing' | 'other-redis' | 'evicted';

export type StateVerdict =
  | { readonly whole: true; readonly epoch: string }
  | { readonly whole: false; readonly loss: StateLoss; readonly detail: string; readonly epoch: string };

export interface StateProbe {
  readonly verdict: StateVerdict;
  /** What this Redis says now: written into the marker when a rebuild finishes. */
  readonly now: MarkerFields;
}

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(\\S+)`, 'm').exec(info)?.[1];
}

/**
 * Reads the state marker and what Redis says of itself, and judges whether the state is whole:
 * - no marker: lost (FLUSHALL, a restart without persistence, eviction of the marker itself);
 * - a marker written in another Redis process (run_id): the data came by replication, AOF or a
 *   restore, any of which can miss the last writes (an asynchronous replica promoted, an AOF synced
 *   every second), so it is treated as stale;
 * - keys evicted since the marker was written (maxmemory): part of the state may be gone.
 */
export async function probeState(redis: Redis, marker: string): Promise<StateProbe> {
  const [fields, server, stats] = await Promise.all([
    redis.hmget(marker, 'epoch', 'runid', 'evicted'),
    redis.info('server'),
    redis.info('stats'),
  ]);
  const now = { runId: infoField(server, 'run_id') ?? '', evictedKeys: Number(infoField(stats, 'evicted_keys') ?? '0') };
  const [epoch, runId, evicted] = fields;
  if (!epoch) return { now, verdict: { whole: false, loss: 'missing', epoch: '', detail: 'no state marker: Redis lost the state (flush, restart or eviction)' } };
  if (runId !== now.runId) {
    return { now, verdict: { whole: false, loss: 'other-redis', epoch, detail: 'the state was made whole in another Redis process (failover, restart or restore) and may miss writes' } };
  }
  if (now.evictedKeys > Number(evicted ?? '0')) {
    return { now, verdict: { whole: false, loss: 'evicted', epoch, detail: `Redis evicted ${now.evictedKeys - Number(evicted ?? '0')} keys since the state was made whole (maxmemory)` } };
  }
  return { now, verdict: { whole: true, epoch } };
}
