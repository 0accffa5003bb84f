import type { AttendeeCategory, RejectionReason, ScanDirection, ScanOrigin, ZoneKind } from '@expo/schemas';

/** One gate step of a badge: exactly one zone's count changes (docs/zones-and-occupancy.md). */
export interface Move {
  readonly zoneId: string;
  readonly direction: ScanDirection;
  readonly fromZoneId: string | null;
  readonly toZoneId: string | null;
  readonly occupancyAfter: number;
  readonly origin: ScanOrigin;
}

export interface PersonInfo {
  /** Display name for the gate's screen: never written to a topic or a log. */
  readonly n?: string;
  readonly c?: string;
}

/**
 * A scan as the scan script decided it (the deciding is scan.lua's; store/decision-codec.ts reads
 * and writes its stored form): what replays repeat, records are written from and annulment undoes.
 */
export interface DecidedScan {
  readonly badgeId: string;
  readonly attendeeId: string | null;
  readonly category: AttendeeCategory | null;
  readonly deviceId: string;
  readonly gateId: string;
  readonly zoneId: string;
  /** The kind of the zone the gate leads into (metrics label); null in decisions stored before it was kept. */
  readonly zoneKind: ZoneKind | null;
  readonly direction: ScanDirection;
  readonly decidedAtMs: number;
  readonly scannedAtMs: number;
  readonly decision: 'accepted' | 'rejected';
  readonly reason: RejectionReason | null;
  readonly occupancy: number;
  readonly capacity: number | null;
  readonly person: PersonInfo | null;
  readonly moves: readonly Move[];
  /** Where the badge was before, and its last move time: what a revert restores. */
  readonly previousLocation: string | null;
  readonly previousLastMoveMs: number;
  readonly conflict: RejectionReason | null;
  readonly stale: boolean;
}

/** Net count change per zone of some moves, and its inverse for a revert. */
export function zoneDeltas(moves: readonly Move[], sign: 1 | -1 = 1): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const move of moves) {
    const delta = (move.direction === 'in' ? 1 : -1) * sign;
    deltas.set(move.zoneId, (deltas.get(move.zoneId) ?? 0) + delta);
  }
  return deltas;
}

/** Where the badge is after the decision (null: outside). */
export function locationAfter(scan: DecidedScan): string | null {
  if (scan.decision === 'rejected') return scan.previousLocation;
  const last = scan.moves.at(-1);
  return last ? last.toZoneId : scan.previousLocation;
}
