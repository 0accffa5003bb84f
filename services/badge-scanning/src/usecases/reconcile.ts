import type { RedisClient } from '@expo/service-kit';
import { foldScanLog, type RebuildDeps } from './rebuild.ts';

export interface ZoneDrift {
  readonly zoneId: string;
  /** What the scan log folds to. */
  readonly log: number;
  readonly redis: number;
  readonly drift: number;
}

export interface ReconcileReport {
  readonly zones: ZoneDrift[];
  readonly misplacedBadges: number;
  readonly repaired: boolean;
}

async function redisCounts(redis: RedisClient, key: string): Promise<Map<string, number>> {
  return new Map(Object.entries(await redis.hgetall(key)).map(([zone, n]) => [zone, Number(n)]));
}

/**
 * Compares live occupancy in Redis with the fold of the scan log (promise 3, docs/promises.md) zone by zone, and the
 * badges whose location differs; with `repair`, Redis takes the log's values. Run it while the
 * gates are quiet: scans decided during the comparison show up as drift.
 */
export async function reconcile(deps: Pick<RebuildDeps, 'redis' | 'keys' | 'kafka' | 'topics' | 'expoId'>, repair: boolean): Promise<ReconcileReport> {
  const fold = await foldScanLog(deps);
  const live = await redisCounts(deps.redis, deps.keys.occupancy());
  const zoneIds = [...new Set([...fold.occupancy.keys(), ...live.keys()])].sort();
  const zones = zoneIds.map((zoneId) => {
    const log = fold.occupancy.get(zoneId) ?? 0;
    const redis = live.get(zoneId) ?? 0;
    return { zoneId, log, redis, drift: redis - log };
  });
  const locations = await deps.redis.hgetall(deps.keys.location());
  let misplacedBadges = 0;
  for (const badgeId of new Set([...Object.keys(locations), ...fold.location.keys()])) {
    if (locations[badgeId] !== fold.location.get(badgeId)) misplacedBadges++;
  }
  const drifting = zones.some((z) => z.drift !== 0) || misplacedBadges > 0;
  if (repair && drifting) {
    const tx = deps.redis.multi().del(deps.keys.occupancy(), deps.keys.location());
    if (fold.occupancy.size > 0) tx.hset(deps.keys.occupancy(), Object.fromEntries(fold.occupancy));
    if (fold.location.size > 0) tx.hset(deps.keys.location(), Object.fromEntries(fold.location));
    await tx.exec();
  }
  return { zones, misplacedBadges, repaired: repair && drifting };
}
