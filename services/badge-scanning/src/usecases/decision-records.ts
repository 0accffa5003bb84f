import type { TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';

type ScanEvent = TopicEvent<typeof TOPICS.scans>;

export interface RestoredDecision {
  readonly scanId: string;
  /** null for an annulment alone (it marks a decision restored before it). */
  readonly json: string | null;
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
  if (first.type === 'scan.annulled') return { scanId: first.data.scanId, json: null, annulledOccupancy: first.data.occupancyAfter };
  const own = events.find((e) => e.type === 'scan.rejected' || (e.type === 'scan.accepted' && e.data.origin === 'device'));
  if (!own || own.type === 'scan.annulled' || Date.parse(own.recordedAt) < oldestMs) return null;
  const d = own.data;
  const moves =
    own.type === 'scan.accepted'
      ? events.map((e) => e.data as typeof d).map((m) => [m.zoneId, m.direction, m.fromZoneId ?? '', m.toZoneId ?? '', m.occupancyAfter, m.origin])
      : [];
  const json = {
    b: d.badgeId,
    a: d.attendeeId ?? '',
    cat: d.category ?? '',
    dev: d.deviceId ?? '',
    gate: d.gateId ?? '',
    z: d.zoneId,
    dir: d.direction,
    t: Date.parse(own.recordedAt),
    st: Date.parse(d.scannedAt),
    cap: capacityOf(d.zoneId) ?? false,
    // The display details are looked up again when the decision is replayed.
    p: false,
    d: d.decision,
    r: d.reason ?? false,
    o: d.occupancyAfter,
    m: moves,
    prev: (events[0]!.data as typeof d).fromZoneId ?? '',
    prevt: 0,
    conflict: d.flags.conflict ?? false,
    stale: d.flags.stale ?? false,
  };
  return { scanId: d.scanId, json: JSON.stringify(json), annulledOccupancy: null };
}
