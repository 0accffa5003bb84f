import { z } from 'zod';
import { AttendeeCategory, RejectionReason, ScanDirection, ScanOrigin, ZoneKind } from '@expo/schemas';
import type { DecidedScan, Move } from '../domain/decided-scan.ts';
import { parseJson, parsedAnswer, ScriptAnswerError, shapeOf } from './script-answer.ts';

// The one place that knows how scan.lua takes its scans and answers them, and the decision JSON it
// keeps in a scan's decision hash (field `j`): annul.lua reads that JSON, a rebuild writes it again
// (restore.lua). Its one-letter names keep a decision hash small; they are named here once.

/** What every scan of one call shares: the device that sent them, and when they are decided. */
export interface DecideContext {
  readonly gateId: string;
  readonly deviceId: string;
  readonly offline: boolean;
  /** Device times a scan not decided before may have (the service's clock bounds the device's). */
  readonly earliestMs: number;
  readonly latestMs: number;
  /** Unique per request: the chunks of one request may move one badge several times. */
  readonly callId: string;
}

export interface DecideInput {
  readonly scanId: string;
  /** As the device sent it: the records carry it, and are written again the same. */
  readonly scannedAt: string;
  readonly badgeId: string;
  readonly attendeeId: string | null;
  readonly category: AttendeeCategory | null;
  readonly direction: ScanDirection;
  /** A rejection decided before the state is read (the token's), or null. */
  readonly preReason: RejectionReason | null;
  /** Zone kinds and zone ids the badge may enter. */
  readonly access: readonly string[];
  readonly scannedAtMs: number;
}

/** One scan script call: its scans, in order. */
export interface DecideCall {
  readonly context: DecideContext;
  readonly scans: readonly DecideInput[];
  /** Position of the call's first scan in its request: the outbox writes a request's decisions again in order. */
  readonly firstPosition: number;
  /** How long a decision is remembered (its hash's TTL). */
  readonly ttlSeconds: number;
}

export type DecideOutcome =
  | { readonly kind: 'new'; readonly decision: DecidedScan }
  | { readonly kind: 'replay'; readonly decision: DecidedScan; readonly committed: boolean }
  | { readonly kind: 'busy' }
  | { readonly kind: 'early' }
  | { readonly kind: 'late' }
  | { readonly kind: 'no_gate' }
  | { readonly kind: 'no_zone' };

/** scan.lua's ARGV (its header): the call's eight arguments, then nine per scan. */
export function encodeDecisionArgs(call: DecideCall): Array<string | number> {
  const c = call.context;
  const args: Array<string | number> = [
    c.gateId,
    c.deviceId,
    c.offline ? 'offline' : 'online',
    c.earliestMs,
    c.latestMs,
    c.callId,
    call.firstPosition,
    call.ttlSeconds,
  ];
  for (const scan of call.scans) {
    args.push(
      scan.scanId,
      scan.badgeId,
      scan.attendeeId ?? '',
      scan.direction,
      scan.preReason ?? '',
      scan.access.join('\n'),
      scan.scannedAtMs,
      scan.category ?? '',
      scan.scannedAt,
    );
  }
  return args;
}

const NO_DECISION = ['busy', 'early', 'late', 'no_gate', 'no_zone'] as const;
type NoDecision = (typeof NO_DECISION)[number];
const isNoDecision = (kind: string): kind is NoDecision => (NO_DECISION as readonly string[]).includes(kind);

/** scan.lua's answer, three entries per scan (outcome, decision JSON, committed), one outcome per scan sent. */
export function decodeScanReply(reply: unknown, scans: number): DecideOutcome[] {
  if (!Array.isArray(reply) || reply.length !== scans * 3 || !reply.every((entry) => typeof entry === 'string')) {
    throw new ScriptAnswerError(`scan.lua answered ${shapeOf(reply)}: expected 3 strings for each of its ${scans} scans`);
  }
  const outcomes: DecideOutcome[] = [];
  for (let i = 0; i < reply.length; i += 3) {
    const kind = reply[i]!;
    if (isNoDecision(kind)) outcomes.push({ kind });
    else if (kind === 'new') outcomes.push({ kind, decision: decodeDecision(reply[i + 1]!) });
    else if (kind === 'replay') outcomes.push({ kind, decision: decodeDecision(reply[i + 1]!), committed: reply[i + 2] === '1' });
    else throw new ScriptAnswerError(`scan.lua answered an unknown outcome ${shapeOf(kind)} for scan ${i / 3 + 1} of ${scans}`);
  }
  return outcomes;
}

/** A move as stored: zoneId, direction, from and to ('' outside the venue), occupancy after, origin. */
const StoredMove = z.tuple([z.string(), ScanDirection, z.string(), z.string(), z.number(), ScanOrigin]);
type StoredMove = z.infer<typeof StoredMove>;

const falseOr = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal(false)]);

/** The decision JSON, as scan.lua writes it (cjson writes false for a Lua false, and an empty list as `{}`). */
const StoredDecision = z.object({
  /** badgeId, attendeeId ('' unknown), category ('' unknown) */
  b: z.string(),
  a: z.string(),
  cat: z.union([AttendeeCategory, z.literal('')]),
  /** deviceId, gateId, the gate's zone and its kind (absent in decisions stored before it was kept) */
  dev: z.string(),
  gate: z.string(),
  z: z.string(),
  k: ZoneKind.optional(),
  dir: ScanDirection,
  /** decided at (Redis's clock), device time: ms */
  t: z.number(),
  st: z.number(),
  /** the zone's capacity, the person's display JSON (from the people hash) */
  cap: falseOr(z.number()),
  p: falseOr(z.string()),
  d: z.enum(['accepted', 'rejected']),
  r: falseOr(RejectionReason),
  /** the zone's occupancy after, the moves */
  o: z.number(),
  m: z.union([z.array(StoredMove), z.object({}).strict()]),
  /** where the badge was and its last move time (accepted scans only) */
  prev: z.string().optional(),
  prevt: z.number().optional(),
  conflict: falseOr(RejectionReason),
  stale: z.boolean(),
});
type StoredDecision = z.infer<typeof StoredDecision>;

const StoredPerson = z.object({ n: z.string().optional(), c: z.string().optional() });

const orNull = <T extends string>(value: T | ''): T | null => (value === '' ? null : value);
const notFalse = <T>(value: T | false): T | null => (value === false ? null : value);

function stored<T extends z.ZodType>(schema: T, json: string, what: string): z.infer<T> {
  return parsedAnswer(schema, parseJson(json, what), what);
}

function moveOf(raw: StoredMove): Move {
  return { zoneId: raw[0], direction: raw[1], fromZoneId: orNull(raw[2]), toZoneId: orNull(raw[3]), occupancyAfter: raw[4], origin: raw[5] };
}

/** Reads a decision JSON (scan.lua's, or one a rebuild restored); refuses one it cannot read whole. */
export function decodeDecision(json: string): DecidedScan {
  const raw = stored(StoredDecision, json, 'a stored scan decision');
  return {
    badgeId: raw.b,
    attendeeId: orNull(raw.a),
    category: orNull(raw.cat),
    deviceId: raw.dev,
    gateId: raw.gate,
    zoneId: raw.z,
    zoneKind: raw.k ?? null,
    direction: raw.dir,
    decidedAtMs: raw.t,
    scannedAtMs: raw.st,
    decision: raw.d,
    reason: notFalse(raw.r),
    occupancy: raw.o,
    capacity: notFalse(raw.cap),
    person: raw.p === false ? null : stored(StoredPerson, raw.p, "a stored scan decision's person"),
    moves: Array.isArray(raw.m) ? raw.m.map(moveOf) : [],
    previousLocation: orNull(raw.prev ?? ''),
    previousLastMoveMs: raw.prevt ?? 0,
    conflict: notFalse(raw.conflict),
    stale: raw.stale,
  };
}

/** The decision JSON scan.lua would have stored for this decision (what a rebuild restores). */
export function encodeDecision(scan: DecidedScan): string {
  const raw: StoredDecision = {
    b: scan.badgeId,
    a: scan.attendeeId ?? '',
    cat: scan.category ?? '',
    dev: scan.deviceId,
    gate: scan.gateId,
    z: scan.zoneId,
    ...(scan.zoneKind === null ? {} : { k: scan.zoneKind }),
    dir: scan.direction,
    t: scan.decidedAtMs,
    st: scan.scannedAtMs,
    cap: scan.capacity ?? false,
    p: scan.person === null ? false : JSON.stringify(scan.person),
    d: scan.decision,
    r: scan.reason ?? false,
    o: scan.occupancy,
    m: scan.moves.map((m): StoredMove => [m.zoneId, m.direction, m.fromZoneId ?? '', m.toZoneId ?? '', m.occupancyAfter, m.origin]),
    prev: scan.previousLocation ?? '',
    prevt: scan.previousLastMoveMs,
    conflict: scan.conflict ?? false,
    stale: scan.stale,
  };
  return JSON.stringify(raw);
}
