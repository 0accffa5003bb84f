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

/** A scan's decision as the scan script stored it: what replays repeat and annulment undoes. */
export interface Decision {
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

type RawMove = [string, ScanDirection, string, string, number, ScanOrigin];

interface RawDecision {
  b: string;
  a: string;
  cat: string;
  dev: string;
  gate: string;
  z: string;
  k?: ZoneKind;
  dir: ScanDirection;
  t: number;
  st: number;
  cap: number | false;
  p: string | false;
  d: 'accepted' | 'rejected';
  r: RejectionReason | false;
  o: number;
  m: RawMove[] | Record<string, never>;
  prev?: string;
  prevt?: number;
  conflict: RejectionReason | false;
  stale: boolean;
}

const orNull = (value: string): string | null => (value === '' ? null : value);

export function moveOf(raw: readonly [string, ScanDirection, string, string, number, ...unknown[]], origin: ScanOrigin): Move {
  return { zoneId: raw[0], direction: raw[1], fromZoneId: orNull(raw[2]), toZoneId: orNull(raw[3]), occupancyAfter: raw[4], origin };
}

/** Reads the script's JSON (Lua's cjson writes an empty list as `{}`). */
export function parseDecision(json: string): Decision {
  const raw = JSON.parse(json) as RawDecision;
  const moves = Array.isArray(raw.m) ? raw.m.map((m) => moveOf(m, m[5])) : [];
  return {
    badgeId: raw.b,
    attendeeId: orNull(raw.a),
    category: orNull(raw.cat) as AttendeeCategory | null,
    deviceId: raw.dev,
    gateId: raw.gate,
    zoneId: raw.z,
    zoneKind: raw.k ?? null,
    direction: raw.dir,
    decidedAtMs: raw.t,
    scannedAtMs: raw.st,
    decision: raw.d,
    reason: raw.r === false ? null : raw.r,
    occupancy: raw.o,
    capacity: raw.cap === false ? null : raw.cap,
    person: raw.p === false ? null : (JSON.parse(raw.p) as PersonInfo),
    moves,
    previousLocation: orNull(raw.prev ?? ''),
    previousLastMoveMs: raw.prevt ?? 0,
    conflict: raw.conflict === false ? null : raw.conflict,
    stale: raw.stale,
  };
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
export function locationAfter(decision: Decision): string | null {
  if (decision.decision === 'rejected') return decision.previousLocation;
  const last = decision.moves.at(-1);
  return last ? last.toZoneId : decision.previousLocation;
}
