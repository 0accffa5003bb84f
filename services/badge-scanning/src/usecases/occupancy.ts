import type { Zone, ZoneOccupancy } from '@expo/schemas';
import type { ScanningDeps } from './deps.ts';

export function zoneOccupancy(zone: Zone, count: number): ZoneOccupancy {
  const occupancy = Math.max(0, count);
  return { zoneId: zone.zoneId, name: zone.name, occupancy, capacity: zone.capacity, ratio: zone.capacity === null ? null : occupancy / zone.capacity };
}

/** Live occupancy of every zone (badges in it or inside it). */
export async function currentOccupancy(deps: Pick<ScanningDeps, 'zones'>): Promise<ZoneOccupancy[]> {
  const [zones, counts] = await Promise.all([deps.zones.all(), deps.zones.occupancy()]);
  return zones.map((zone) => zoneOccupancy(zone, counts.get(zone.zoneId) ?? 0));
}
