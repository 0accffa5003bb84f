import type { AttendeeCategory, ZoneKind } from '@expo/schemas';
import { accessAllows } from '@expo/schemas';
import type { Random } from '../random.ts';
import type { VenueTree } from '../venue/venue-tree.ts';
import type { VenueZone } from '../venue/venue-types.ts';
import type { Visitor } from './sim-world.ts';

const MINUTE = 60_000;

/** Minutes after midnight (venue time) a person of this category arrives: most visitors within 90 minutes of opening. */
export function arrivalMinute(random: Random, category: AttendeeCategory): number {
  if (category === 'organiser_staff') return random.int(7 * 60 + 15, 8 * 60 + 15);
  if (category === 'exhibitor_staff') return random.int(8 * 60, 9 * 60);
  const peak = random.normal(9 * 60 + 30, 30);
  return Math.round(Math.min(13 * 60, Math.max(8 * 60 + 30, random.chance(0.85) ? peak : random.int(10 * 60, 13 * 60))));
}

function hallsFor(random: Random, tree: VenueTree, visitor: Visitor, count: number): VenueZone[] {
  const halls = tree.childrenOf(tree.root.zoneId).filter((z) => z.kind === 'hall');
  const liked = halls.filter((h) => h.sectorAreas?.some((a) => visitor.areas.includes(a)));
  const chosen = [...random.sample(liked, Math.min(2, liked.length)), ...random.sample(halls, count)];
  return [...new Map(chosen.map((h) => [h.zoneId, h])).values()].slice(0, Math.max(1, count));
}

function ofKind(tree: VenueTree, kind: ZoneKind): VenueZone[] {
  return tree.venue.zones.filter((z) => z.kind === kind);
}

/** A hall, and now and then an area, pavilion or incubation track inside it. */
function hallVisit(random: Random, tree: VenueTree, hall: VenueZone): string[] {
  const inner = tree.childrenOf(hall.zoneId);
  if (inner.length === 0 || !random.chance(0.4)) return [hall.zoneId];
  const area = random.pick(inner);
  const deeper = tree.childrenOf(area.zoneId);
  const steps = [hall.zoneId, area.zoneId];
  if (deeper.length > 0 && random.chance(0.6)) steps.push(random.pick(deeper).zoneId);
  return [...steps, hall.zoneId];
}

/**
 * The zones a person means to visit today, in order; leaving the venue follows the last one.
 * Now and then a visitor tries a room their badge does not open (and is turned away).
 */
export function planItinerary(random: Random, tree: VenueTree, visitor: Visitor): string[] {
  const forums = ofKind(tree, 'forum_room');
  const special = (kind: ZoneKind) => ofKind(tree, kind)[0]?.zoneId;
  const plan: string[] = [];
  const add = (...zones: Array<string | undefined>) => plan.push(...zones.filter((z): z is string => z !== undefined));
  switch (visitor.category) {
    case 'exhibitor_staff': {
      const home = visitor.homeZoneId ?? hallsFor(random, tree, visitor, 1)[0]!.zoneId;
      add(home);
      if (random.chance(0.6)) add('central-plaza', home);
      if (random.chance(0.3)) add(...hallVisit(random, tree, random.pick(hallsFor(random, tree, visitor, 1))), home);
      break;
    }
    case 'media':
      add(special('press_centre'), 'forum-main', ...hallsFor(random, tree, visitor, 2).flatMap((h) => hallVisit(random, tree, h)), special('press_centre'));
      break;
    case 'vip':
      add(special('vip_lounge'), 'forum-main', ...hallsFor(random, tree, visitor, 2).map((h) => h.zoneId), special('vip_lounge'));
      break;
    case 'organiser_staff':
      add(special('staff_area'), ...hallsFor(random, tree, visitor, 2).map((h) => h.zoneId), special('staff_area'));
      break;
    default: {
      const halls = hallsFor(random, tree, visitor, random.int(1, 4));
      for (const [i, hall] of halls.entries()) {
        add(...hallVisit(random, tree, hall));
        if (i === 0 && random.chance(0.3)) add('central-plaza');
        if (random.chance(0.12) && forums.length > 0) add(random.pick(forums).zoneId);
      }
      if (visitor.category === 'buyer' && random.chance(0.7)) add(special('matchmaking_area'));
      const locked = tree.venue.zones.filter((z) => !accessAllows(visitor.access, z));
      if (locked.length > 0 && random.chance(0.05)) add(random.pick(locked).zoneId);
    }
  }
  return plan.filter((z) => tree.byId.has(z));
}

export type Crossing = { readonly kind: 'exit'; readonly zoneId: string } | { readonly kind: 'enter'; readonly zoneId: string } | { readonly kind: 'there' };

/** The next gate or door on the way from `from` to `to` (null: outside the venue). */
export function nextCrossing(tree: VenueTree, from: string | null, to: string | null): Crossing {
  if (from === to) return { kind: 'there' };
  const down = tree.chain(to);
  if (from !== null && !down.includes(from)) return { kind: 'exit', zoneId: from };
  const index = from === null ? down.length : down.indexOf(from);
  return { kind: 'enter', zoneId: down[index - 1]! };
}

/** How long a person stays once arrived somewhere, in milliseconds. */
export function dwellMs(random: Random, zone: VenueZone, visitor: Visitor): number {
  if (visitor.category === 'exhibitor_staff' && zone.zoneId === visitor.homeZoneId) return random.int(90, 180) * MINUTE;
  const minutes: Partial<Record<ZoneKind, number>> = {
    hall: 40,
    area: 15,
    pavilion: 12,
    forum_room: 50,
    matchmaking_area: 45,
    press_centre: 40,
    vip_lounge: 30,
    staff_area: 60,
  };
  if (zone.zoneId === 'central-plaza') return random.int(15, 45) * MINUTE;
  return Math.max(2 * MINUTE, random.exponential((minutes[zone.kind] ?? 20) * MINUTE));
}

/** Walking from one gate to the next. */
export function walkMs(random: Random): number {
  return random.int(30, 240) * 1000;
}

/**
 * The way out of a zone: one of its gates with a scanner, or (a share of the time) a door with
 * none, so the platform does not see the exit and heals later by inference.
 */
export function exitGate(random: Random, zone: VenueZone, unscannedShare: number): string | null {
  const doors = zone.unscannedDoors;
  if (doors > 0 && random.chance(unscannedShare * (doors / (doors + zone.gates.length)) * 2)) return null;
  return random.pick(zone.gates).gateId;
}
