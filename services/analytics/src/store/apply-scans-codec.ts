import { z } from 'zod';
import { AttendeeCategory, CountryCode, RejectionReason, ScanOrigin } from '@expo/schemas';
import type { ScanFacts } from '../domain/scan-facts.ts';
import { ScriptAnswerError, ScriptArgumentsError } from './script-boundary.ts';

// The one place that knows how apply-scans.lua takes a batch and what it answers. A scan travels
// as a positional list (smaller than an object, and Lua reads it by index without hashing names);
// the script names the same slots, in the same order, at its top.

/**
 * Where a scan's keys start in KEYS (1-based, as the script reads them): its day's group (figures,
 * too late, gates, gate minutes, peaks, visitors, visitor mix), its zone and day's group (1-minute
 * bucket hash, dwell, day HyperLogLog), its zone's minute HyperLogLog, its hour's dedupe marks.
 */
export type ScanRefs = readonly [day: number, zoneDay: number, minute: number, hour: number];

/** One apply-scans.lua call's ARGV, by name. */
export interface ApplyScansArgs {
  readonly dedupeTtlSeconds: number;
  /** `topic:partition`: the partition whose highest applied offset the script keeps. */
  readonly where: string;
  readonly scans: readonly ScanFacts[];
  /** One per scan, in the same order. */
  readonly refs: readonly ScanRefs[];
}

const KINDS = { accepted: 'a', rejected: 'r', annulled: 'n' } as const;

/** One scan as the script reads it; '' stands for null, as Lua compares strings. */
const WireScan = z.tuple([
  z.enum(['a', 'r', 'n']), // 1 kind
  z.string(), // 2 recordId
  z.number(), // 3 eventMs
  z.number(), // 4 occupancyAfter
  z.string(), // 5 day
  z.string(), // 6 zoneId
  z.string(), // 7 zoneLeft
  z.number(), // 8 minuteStart
  z.string(), // 9 badgeId
  z.string(), // 10 attendeeId
  z.string(), // 11 gateId
  z.union([z.literal(0), z.literal(1), z.literal(2)]), // 12 lateness
  z.union([z.literal(0), z.literal(1)]), // 13 unverified
  z.union([AttendeeCategory, z.literal('')]), // 14 category
  z.union([CountryCode, z.literal('')]), // 15 country
  z.union([RejectionReason, z.literal('')]), // 16 reason
  ScanOrigin, // 17 origin
  z.number(), // 18 offset
  z.string(), // 19 zoneEntered
  z.string(), // 20 recordKey
]);
type WireScan = z.infer<typeof WireScan>;

const WireRefs = z.array(z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]));

function encodeScan(s: ScanFacts): WireScan {
  return [
    KINDS[s.kind],
    s.recordId,
    s.eventMs,
    s.occupancyAfter,
    s.day,
    s.zoneId,
    s.zoneLeft ?? '',
    s.minuteStart,
    s.badgeId,
    s.attendeeId ?? '',
    s.gateId ?? '',
    s.lateness,
    s.unverified ? 1 : 0,
    s.category ?? '',
    s.country ?? '',
    s.reason ?? '',
    s.origin,
    s.offset,
    s.zoneEntered ?? '',
    s.recordKey,
  ];
}

const orNull = <T extends string>(value: T | ''): T | null => (value === '' ? null : value);
const KIND_OF = { a: 'accepted', r: 'rejected', n: 'annulled' } as const;

function decodeScan(wire: WireScan): ScanFacts {
  const [
    kind,
    recordId,
    eventMs,
    occupancyAfter,
    day,
    zoneId,
    zoneLeft,
    minuteStart,
    badgeId,
    attendeeId,
    gateId,
    lateness,
    unverified,
    category,
    country,
    reason,
    origin,
    offset,
    zoneEntered,
    recordKey,
  ] = wire;
  return {
    kind: KIND_OF[kind],
    recordId,
    eventMs,
    occupancyAfter,
    day,
    zoneId,
    zoneLeft: orNull(zoneLeft),
    zoneEntered: orNull(zoneEntered),
    minuteStart,
    badgeId,
    attendeeId: orNull(attendeeId),
    gateId: orNull(gateId),
    lateness,
    unverified: unverified === 1,
    category: orNull(category),
    country: orNull(country),
    reason: orNull(reason),
    origin,
    offset,
    recordKey,
  };
}

/** ARGV: 1 dedupe ttl (s), 2 `topic:partition`, 3 JSON list of the scans, 4 JSON list of their refs. */
export function encodeApplyScansArgs(args: ApplyScansArgs): [number, string, string, string] {
  if (args.refs.length !== args.scans.length) throw new ScriptArgumentsError(`apply-scans: ${args.scans.length} scans but ${args.refs.length} refs`);
  return [args.dedupeTtlSeconds, args.where, JSON.stringify(args.scans.map(encodeScan)), JSON.stringify(args.refs)];
}

const ApplyScansArgv = z.tuple([
  z.coerce.number().int().positive(),
  z.string().min(1),
  z
    .string()
    .transform((json, ctx) => parseJson(json, ctx))
    .pipe(z.array(WireScan)),
  z
    .string()
    .transform((json, ctx) => parseJson(json, ctx))
    .pipe(WireRefs),
]);

function parseJson(json: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(json);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
}

/** ARGV as the script reads it, back to names: what a batch sent was. */
export function decodeApplyScansArgs(argv: readonly unknown[]): ApplyScansArgs {
  const parsed = ApplyScansArgv.safeParse(argv);
  if (!parsed.success) throw new ScriptArgumentsError(`apply-scans ARGV is malformed: ${problems(parsed.error)}`);
  const [dedupeTtlSeconds, where, scans, refs] = parsed.data;
  if (refs.length !== scans.length) throw new ScriptArgumentsError(`apply-scans ARGV is malformed: ${scans.length} scans but ${refs.length} refs`);
  return { dedupeTtlSeconds, where, scans: scans.map(decodeScan), refs };
}

/** The script's answer: how many of the `sent` scans it applied (the others it had applied before). */
export function decodeAppliedCount(reply: unknown, sent: number): number {
  if (typeof reply === 'number' && Number.isInteger(reply) && reply >= 0 && reply <= sent) return reply;
  const what = typeof reply === 'number' ? String(reply) : Array.isArray(reply) ? `a list of ${reply.length} entries` : `a ${typeof reply}`;
  throw new ScriptAnswerError(`apply-scans answered ${what}: expected how many of its ${sent} scans it applied (0 to ${sent})`);
}

function problems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
