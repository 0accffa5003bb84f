import type { TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { DecidedScan, Move } from '../domain/decided-scan.ts';

type ScanEvent = TopicEvent<typeof TOPICS.scans>;

export interface RestoredDecision {
  readonly scanId: string;
  /** null for an annulment alone (it marks a decision restored before it). */
  readonly decision: DecidedScan | null;
  readonly annulledOccupancy: number | null;
}

/**
 * A device scan's decision, as the scan script would have stored it, from its records (its
 * inferred moves and its own record): so replays after a rebuild repeat the first answer.
 * Decisions recorded before `oldestMs` are past the replay memory and not restored.
 */
export function decisionFromRecords(events: readonly ScanEvent[], oldestMs: number, capacityOf: (zoneId: string) => number | null): RestoredDecision | null {
  const first = events[0];
  if (!first) return null;
  if (first.type === 'scan.annulled') return { scanId: first.data.scanId, decision: null, annulledOccupancy: first.data.occupancyAfter };
  const own = events.find((e) => e.type === 'scan.rejected' || (e.type === 'scan.accepted' && e.data.origin === 'device'));
  if (!own || own.type === 'scan.annulled' || Date.parse(own.recordedAt) < oldestMs) return null;
  const d = own.data;
  const moves: Move[] =
    own.type === 'scan.accepted'
      ? events
          .map((e) => e.data as typeof d)
          .map((m) => ({
            zoneId: m.zoneId,
            direction: m.direction,
            fromZoneId: m.fromZoneId ?? null,
            toZoneId: m.toZoneId ?? null,
            occupancyAfter: m.occupancyAfter,
            origin: m.origin,
          }))
      : [];
  const decision: DecidedScan = {
    badgeId: d.badgeId,
    attendeeId: d.attendeeId ?? null,
    category: d.category ?? null,
    deviceId: d.deviceId ?? '',
    gateId: d.gateId ?? '',
    zoneId: d.zoneId,
    zoneKind: null,
    direction: d.direction,
    decidedAtMs: Date.parse(own.recordedAt),
    scannedAtMs: Date.parse(d.scannedAt),
    decision: d.decision,
    reason: d.reason ?? null,
    occupancy: d.occupancyAfter,
    capacity: capacityOf(d.zoneId),
    // The display details are looked up again when the decision is replayed.
    person: null,
    moves,
    previousLocation: (events[0]!.data as typeof d).fromZoneId ?? null,
    previousLastMoveMs: 0,
    conflict: d.flags.conflict ?? null,
    stale: d.flags.stale ?? false,
  };
  return { scanId: d.scanId, decision, annulledOccupancy: null };
}
