import { z } from 'zod';
import { parseJson, parsedAnswer, ScriptAnswerError, shapeOf } from './script-answer.ts';

// The one place that knows how sweep.lua takes a chunk of the closing sweep, what it answers, and
// the chunk it keeps until Kafka acknowledges its records (`<sweep time ms>|<JSON>`, the same JSON).

/** One sweep.lua call, by name. */
export interface SweepArgs {
  /** Where the badges' HSCAN resumes: '0' for the first chunk. */
  readonly cursor: string;
  readonly chunkSize: number;
  readonly atMs: number;
  /** `<day>|<sweep time ms>-<n>`, unique per chunk: the ids of its records follow from it. */
  readonly chunkName: string;
}

/** One step of a badge walked out of a zone. */
export interface SweepStep {
  readonly zoneId: string;
  readonly fromZoneId: string;
  /** The zone it is walked into, null outside the venue. */
  readonly toZoneId: string | null;
  readonly occupancyAfter: number;
}

/** A badge one chunk walked out: where it was, and each step out. */
export interface SweptBadge {
  readonly badgeId: string;
  /** The badge's attendee, or the badge id when none is known. */
  readonly attendeeId: string;
  readonly previousLocation: string;
  readonly steps: readonly SweepStep[];
}

/** A chunk applied in Redis whose records Kafka has not acknowledged yet. */
export interface UnconfirmedChunk {
  readonly name: string;
  readonly atMs: number;
  readonly swept: readonly SweptBadge[];
}

/** ARGV: 1 HSCAN cursor, 2 chunk size, 3 sweep time ms, 4 chunk name. */
export function encodeSweepArgs(args: SweepArgs): [string, number, number, string] {
  return [args.cursor, args.chunkSize, args.atMs, args.chunkName];
}

/** A list as cjson writes it: an empty Lua table comes as `{}`. */
const isEmptyTable = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
const listOf = <T extends z.ZodType>(item: T) => z.preprocess((value) => (isEmptyTable(value) ? [] : value), z.array(item));

/** A step as sweep.lua writes it: zoneId, 'out', from, to ('' outside), occupancy after. */
const WireStep = z.tuple([z.string(), z.literal('out'), z.string(), z.string(), z.number().int()]);
/** A badge as sweep.lua writes it: badge, attendee, where it was, its steps. */
const WireBadge = z.object({ b: z.string(), a: z.string(), prev: z.string(), m: listOf(WireStep) });
const WireChunk = listOf(WireBadge);

function sweptOf(json: string, what: string): SweptBadge[] {
  return parsedAnswer(WireChunk, parseJson(json, what), what).map((badge) => ({
    badgeId: badge.b,
    attendeeId: badge.a,
    previousLocation: badge.prev,
    steps: badge.m.map(([zoneId, , fromZoneId, to, occupancyAfter]) => ({ zoneId, fromZoneId, toZoneId: to === '' ? null : to, occupancyAfter })),
  }));
}

/** sweep.lua's answer: `{next cursor ('0' once every badge has been seen), JSON of the badges swept}`. */
export function decodeSweepReply(reply: unknown): { cursor: string; swept: SweptBadge[] } {
  const [cursor, json] = parsedAnswer(z.tuple([z.string().regex(/^\d+$/), z.string()]), reply, "sweep.lua's answer");
  return { cursor, swept: sweptOf(json, "sweep.lua's chunk") };
}

/** A chunk kept in the unconfirmed sweep chunks, under its name. */
export function decodeUnconfirmedChunk(name: string, value: string): UnconfirmedChunk {
  const bar = value.indexOf('|');
  const atMs = Number(value.slice(0, bar));
  if (bar < 0 || !Number.isInteger(atMs) || bar === 0) {
    throw new ScriptAnswerError(`the unconfirmed sweep chunk ${name} is malformed: ${shapeOf(value)} without its sweep time`);
  }
  return { name, atMs, swept: sweptOf(value.slice(bar + 1), `the unconfirmed sweep chunk ${name}`) };
}
