import type { Random } from '../random.ts';
import type { VenueTree } from '../venue/venue-tree.ts';
import type { EventQueue } from './event-queue.ts';
import type { GroundTruth } from './ground-truth.ts';
import type { PlatformBelief } from './platform-belief.ts';
import type { ScannerFleet } from './scanner-fleet.ts';
import type { SimWorld, Visitor } from './sim-world.ts';
import type { SimTransport } from './transport.ts';

export type SimAction =
  | { readonly kind: 'visitor'; readonly visitor: number; readonly day: number }
  | { readonly kind: 'reconnect'; readonly gateId: string }
  | { readonly kind: 'lead'; readonly exhibitor: number; readonly day: number }
  | { readonly kind: 'meeting-request'; readonly buyer: number; readonly day: number; readonly left: number }
  | { readonly kind: 'meeting-answer'; readonly meetingId: string }
  | { readonly kind: 'schedule-session' }
  | { readonly kind: 'meeting-outcome'; readonly meetingId: string }
  | { readonly kind: 'day-end' };

/** Behaviour knobs of a run. */
export interface Behaviour {
  /** Share of exits that leave by a door without a scanner (where a zone has such doors). */
  readonly unscannedExitShare: number;
  /** Share of scanners that lose their network each day, for `outageMinutes`. */
  readonly offlineShare: number;
  /** How long an outage lasts, in simulated minutes [min, max] (default 10–45; hours for a burst of late uploads). */
  readonly outageMinutes: readonly [number, number];
  /** Mean minutes between two lead scans of one exhibitor. */
  readonly leadEveryMinutes: number;
  /** Meeting requests per buyer (sub-group) and day, at most. */
  readonly meetingsPerBuyer: number;
  readonly sweepBetweenDays: boolean;
}

export interface MeetingRecord {
  readonly meetingId: string;
  readonly buyer: number;
  readonly exhibitor: number;
  status: 'requested' | 'accepted' | 'declined' | 'scheduled' | 'held' | 'no_show';
}

export interface SimContext {
  readonly tree: VenueTree;
  readonly world: SimWorld;
  readonly fleet: ScannerFleet;
  readonly belief: PlatformBelief;
  readonly truth: GroundTruth;
  readonly transport: SimTransport;
  readonly random: Random;
  readonly behaviour: Behaviour;
  /** The scanners' clocks: `skewMs` is added to every scan's device time while set (read at each scan). */
  readonly clock?: { readonly skewMs: number };
  readonly queue: EventQueue<SimAction>;
  /** Who is physically where (visitor indexes per zone). */
  readonly presence: Map<string, Set<number>>;
  readonly meetings: Map<string, MeetingRecord>;
  readonly requestedPairs: Set<string>;
  readonly runId: string;
  day: number;
  dayStartMs: number;
  matchmaking: boolean;
  counter: number;
}

export function schedule(ctx: SimContext, at: number, action: SimAction): void {
  const locks =
    action.kind === 'visitor'
      ? [`v:${action.visitor}`]
      : action.kind === 'meeting-answer' || action.kind === 'meeting-outcome'
        ? [`m:${action.meetingId}`]
        : action.kind === 'reconnect' || action.kind === 'schedule-session' || action.kind === 'day-end'
          ? ['*']
          : [];
  ctx.queue.push({ at, locks, data: action });
}

/** Moves a person physically (no scan): through a door, or after a gate let them through. */
export function moveTo(ctx: SimContext, visitor: Visitor, zoneId: string | null): void {
  if (visitor.location !== null) ctx.presence.get(visitor.location)?.delete(visitor.index);
  visitor.location = zoneId;
  if (zoneId !== null) {
    const here = ctx.presence.get(zoneId) ?? new Set<number>();
    here.add(visitor.index);
    ctx.presence.set(zoneId, here);
  }
}

export function physicallyInside(ctx: SimContext): number {
  return ctx.world.visitors.filter((v) => v.location !== null).length;
}
