import type { RejectionReason, ScanDirection } from '@expo/schemas';
import { accessAllows } from '@expo/schemas';
import type { VenueTree } from '../venue/venue-tree.ts';

export interface BeliefMove {
  readonly zoneId: string;
  readonly direction: ScanDirection;
  readonly origin: 'device' | 'inferred';
}

export interface BeliefScan {
  readonly badgeId: string;
  /** The zone the gate leads into. */
  readonly zoneId: string;
  readonly direction: ScanDirection;
  readonly deviceTimeMs: number;
  readonly offline: boolean;
  readonly access: readonly string[];
}

/**
 * Where the platform should believe each badge is, by the rules of docs/zones-and-occupancy.md:
 * a scan moves a badge one gate; under soft anti-passback a badge seen where it was not expected
 * is first moved there by inferred exits and entries; an offline scan older than the badge's last
 * move is counted and then walked back. Occupancy counts a zone and all inside it.
 */
export class PlatformBelief {
  private readonly location = new Map<string, string>();
  private readonly lastMove = new Map<string, number>();
  private readonly occupancy = new Map<string, number>();

  constructor(private readonly tree: VenueTree) {}

  where(badgeId: string): string | null {
    return this.location.get(badgeId) ?? null;
  }

  occupancyOf(zoneId: string): number {
    return this.occupancy.get(zoneId) ?? 0;
  }

  /** The decision the platform should take for a scan, given what it believes now. */
  predict(scan: BeliefScan): { decision: 'accepted' | 'rejected'; reason: RejectionReason | null } {
    const zone = this.tree.zone(scan.zoneId);
    const inside = this.tree.chain(this.where(scan.badgeId)).includes(scan.zoneId);
    let reason: RejectionReason | null = null;
    if (scan.direction === 'in' && !accessAllows(scan.access, zone)) reason = 'zone_not_allowed';
    if (!reason && zone.antiPassback === 'strict') {
      if (scan.direction === 'in' && inside) reason = 'already_inside';
      if (scan.direction === 'out' && !inside) reason = 'not_inside';
    }
    if (!reason && scan.direction === 'in' && zone.capacity !== null && this.occupancyOf(scan.zoneId) - (inside ? 1 : 0) >= zone.capacity)
      reason = 'capacity_full';
    // Offline scans are facts: what the gate decided on its own is counted, conflicts and all.
    if (scan.offline) reason = null;
    return { decision: reason ? 'rejected' : 'accepted', reason };
  }

  /** Applies an accepted scan and answers the moves it makes, inferred ones included. */
  apply(scan: BeliefScan): BeliefMove[] {
    const zone = this.tree.zone(scan.zoneId);
    const location = this.where(scan.badgeId);
    const [expected, target] = scan.direction === 'in' ? [zone.parentId, zone.zoneId] : [zone.zoneId, zone.parentId];
    const stale = scan.offline && scan.deviceTimeMs < (this.lastMove.get(scan.badgeId) ?? 0);
    const moves: BeliefMove[] = [];
    if (location !== expected) this.walk(location, expected, 'inferred', moves);
    this.walk(expected, target, 'device', moves);
    if (stale) {
      this.walk(target, location, 'inferred', moves);
      return moves;
    }
    if (target === null) this.location.delete(scan.badgeId);
    else this.location.set(scan.badgeId, target);
    this.lastMove.set(scan.badgeId, scan.deviceTimeMs);
    return moves;
  }

  /** The closing sweep: everyone still inside is moved out. */
  sweep(): number {
    const swept = this.location.size;
    this.location.clear();
    this.occupancy.clear();
    return swept;
  }

  locations(): ReadonlyMap<string, string> {
    return this.location;
  }

  occupancies(): ReadonlyMap<string, number> {
    return this.occupancy;
  }

  private walk(from: string | null, to: string | null, origin: BeliefMove['origin'], moves: BeliefMove[]): void {
    const up = this.tree.chain(from);
    const down = this.tree.chain(to);
    const common = up.find((z) => down.includes(z)) ?? null;
    for (const zoneId of up) {
      if (zoneId === common) break;
      this.occupancy.set(zoneId, this.occupancyOf(zoneId) - 1);
      moves.push({ zoneId, direction: 'out', origin });
    }
    const downs = common === null ? down : down.slice(0, down.indexOf(common));
    for (const zoneId of downs.reverse()) {
      this.occupancy.set(zoneId, this.occupancyOf(zoneId) + 1);
      moves.push({ zoneId, direction: 'in', origin });
    }
  }
}
