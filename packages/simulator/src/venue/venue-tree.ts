import { isZoneKind } from '@expo/schemas';
import type { Venue, VenueZone } from './venue-types.ts';

/** Lookups over a venue: parents, children and the chain from a zone to the root. */
export class VenueTree {
  readonly byId: ReadonlyMap<string, VenueZone>;
  private readonly children = new Map<string | null, VenueZone[]>();

  constructor(readonly venue: Venue) {
    this.byId = new Map(venue.zones.map((z) => [z.zoneId, z]));
    for (const zone of venue.zones) {
      const list = this.children.get(zone.parentId) ?? [];
      list.push(zone);
      this.children.set(zone.parentId, list);
    }
  }

  zone(zoneId: string): VenueZone {
    const zone = this.byId.get(zoneId);
    if (!zone) throw new Error(`unknown zone ${zoneId}`);
    return zone;
  }

  get root(): VenueZone {
    const roots = this.children.get(null) ?? [];
    if (roots.length !== 1) throw new Error(`a venue has one root, found ${roots.length}`);
    return roots[0]!;
  }

  childrenOf(zoneId: string | null): readonly VenueZone[] {
    return this.children.get(zoneId) ?? [];
  }

  /** The zone and its ancestors up to the root; empty for outside (null). */
  chain(zoneId: string | null): string[] {
    const list: string[] = [];
    let current = zoneId;
    while (current !== null && list.length < 32) {
      list.push(current);
      current = this.byId.get(current)?.parentId ?? null;
    }
    return list;
  }

  /** Zones whose parents come first: the order to create them in. */
  topDown(): VenueZone[] {
    const ordered: VenueZone[] = [];
    const visit = (parent: string | null) => {
      for (const child of this.childrenOf(parent)) {
        ordered.push(child);
        visit(child.zoneId);
      }
    };
    visit(null);
    return ordered;
  }
}

/** What is wrong with a venue: the platform would refuse it or the simulator could not walk it. */
export function venueProblems(venue: Venue): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const gateIds = new Set<string>();
  for (const zone of venue.zones) {
    if (ids.has(zone.zoneId)) problems.push(`zone ${zone.zoneId} is defined twice`);
    ids.add(zone.zoneId);
    if (isZoneKind(zone.zoneId)) problems.push(`zone id ${zone.zoneId} is spelled like a zone kind`);
    if (!/^[A-Za-z0-9_.:-]+$/.test(zone.zoneId)) problems.push(`zone id ${zone.zoneId} has characters an id may not have`);
    if (zone.gates.length === 0) problems.push(`zone ${zone.zoneId} has no gate with a scanner to enter by`);
    for (const gate of zone.gates) {
      if (gateIds.has(gate.gateId)) problems.push(`gate ${gate.gateId} is defined twice`);
      gateIds.add(gate.gateId);
    }
  }
  const roots = venue.zones.filter((z) => z.parentId === null);
  if (roots.length !== 1) problems.push(`the venue has ${roots.length} roots instead of one`);
  for (const zone of venue.zones) {
    if (zone.parentId !== null && !ids.has(zone.parentId)) problems.push(`zone ${zone.zoneId} has an unknown parent ${zone.parentId}`);
  }
  if (problems.length === 0) {
    const tree = new VenueTree(venue);
    const reachable = tree.topDown().length;
    if (reachable !== venue.zones.length) problems.push(`${venue.zones.length - reachable} zones are not under the root (a cycle)`);
  }
  return problems;
}
