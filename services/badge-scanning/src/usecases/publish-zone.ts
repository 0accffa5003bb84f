import type { Zone } from '@expo/schemas';
import type { ScanningDeps } from './deps.ts';

/**
 * A zone changes by its full snapshot going to `scanning.zones.v1` first (the log), then into
 * Redis: a failed write changes nothing, and Redis can always be rebuilt from the topic.
 */
export async function publishZone(deps: ScanningDeps, zone: Zone, changed: readonly string[]): Promise<Zone> {
  await deps.producer.send(deps.topics.zones, [{ type: 'zone.defined', eventId: deps.expoId, data: { ...zone, changed: [...changed] } }]);
  await deps.zones.save(zone);
  return zone;
}

export function changedFields<T extends object>(before: T | null, after: T): string[] {
  const keys = Object.keys(after) as Array<keyof T>;
  if (!before) return keys.map(String);
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map(String);
}
