import type { RedisClient } from './redis-client.ts';
import type { MarkerFields } from './rebuild-lease.ts';

/** Why a service's Redis state cannot be served. */
export type StateLoss = 'missing' | 'other-redis' | 'evicted';

export type StateVerdict =
  { readonly whole: true; readonly epoch: string } | { readonly whole: false; readonly loss: StateLoss; readonly detail: string; readonly epoch: string };

export interface StateProbe {
  readonly verdict: StateVerdict;
  /** What this Redis says now: written into the marker when a rebuild finishes. */
  readonly now: MarkerFields;
}

// One script, so that on a cluster the marker and what Redis says of itself come from the same
// node, the one that serves the marker's slot (the expo's), and in one round trip.
const PROBE = `local f = redis.call('HMGET', KEYS[1], 'epoch', 'runid', 'evicted')
local server, stats = redis.call('INFO', 'server'), redis.call('INFO', 'stats')
return { f[1] or '', f[2] or '', f[3] or '0', string.match(server, 'run_id:(%w+)') or '', string.match(stats, 'evicted_keys:(%d+)') or '0' }`;

/**
 * Reads the state marker and what Redis says of itself, and judges whether the state is whole:
 * - no marker: lost (FLUSHALL, a restart without persistence, eviction of the marker itself);
 * - a marker written in another Redis process (run_id): the data came by replication, AOF or a
 *   restore, any of which can miss the last writes (an asynchronous replica promoted, an AOF synced
 *   every second), so it is treated as stale;
 * - keys evicted since the marker was written (maxmemory): part of the state may be gone.
 */
export async function probeState(redis: RedisClient, marker: string): Promise<StateProbe> {
  const [epoch, runId, evicted, nowRunId, nowEvicted] = (await redis.eval(PROBE, 1, marker)) as string[];
  const now = { runId: nowRunId ?? '', evictedKeys: Number(nowEvicted ?? '0') };
  if (!epoch)
    return { now, verdict: { whole: false, loss: 'missing', epoch: '', detail: 'no state marker: Redis lost the state (flush, restart or eviction)' } };
  if (runId !== now.runId) {
    return {
      now,
      verdict: {
        whole: false,
        loss: 'other-redis',
        epoch,
        detail: 'the state was made whole in another Redis process (failover, restart or restore) and may miss writes',
      },
    };
  }
  if (now.evictedKeys > Number(evicted ?? '0')) {
    return {
      now,
      verdict: {
        whole: false,
        loss: 'evicted',
        epoch,
        detail: `Redis evicted ${now.evictedKeys - Number(evicted ?? '0')} keys since the state was made whole (maxmemory)`,
      },
    };
  }
  return { now, verdict: { whole: true, epoch } };
}
