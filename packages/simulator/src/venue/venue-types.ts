import type { AntiPassback, SectorAreaCode, ZoneKind } from '@expo/schemas';

/** A gate with a scanner: it becomes a platform gate with one device. */
export interface VenueGate {
  readonly gateId: string;
  readonly name: string;
}

/**
 * One zone of the venue tree as the simulator knows it: the platform's fields plus what only the
 * building knows, such as doors without scanners that people leave by unseen.
 */
export interface VenueZone {
  readonly zoneId: string;
  readonly name: string;
  readonly kind: ZoneKind;
  readonly parentId: string | null;
  readonly capacity: number | null;
  readonly antiPassback: AntiPassback;
  readonly gates: readonly VenueGate[];
  /** Exit doors without a scanner (fire exits, open sides of an area). */
  readonly unscannedDoors: number;
  /** Exhibition areas shown here; exhibitors of those sectors get booths in this hall. */
  readonly sectorAreas?: readonly SectorAreaCode[];
  /** A hall number as printed on booths, e.g. `4.1`. */
  readonly hallNumber?: string;
}

export interface Venue {
  readonly zones: readonly VenueZone[];
}
