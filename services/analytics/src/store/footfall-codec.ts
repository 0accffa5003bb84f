import type { AnalyticsKeys } from './keys.ts';
import { ScriptAnswerError, ScriptArgumentsError, shapeOf, type ScriptCall } from './script-boundary.ts';

// The one place that knows how footfall.lua is called and what it answers: a zone's 1-minute
// figures of some days, rolled up into buckets of one size, as a flat list of five per bucket.

/** One footfall.lua call, by name. */
export interface FootfallArgs {
  readonly zoneId: string;
  /** The days whose 1-minute bucket hashes hold [first, to). */
  readonly days: readonly string[];
  /** Start of the first bucket (ms), aligned to `size`. */
  readonly first: number;
  /** End of the range (ms, exclusive). */
  readonly to: number;
  /** Bucket size (ms), a whole number of minutes. */
  readonly size: number;
}

/** One rolled-up bucket as the script answers it (in and out may be below zero: the reader decides). */
export interface FootfallRow {
  readonly start: number;
  readonly in: number;
  readonly out: number;
  readonly peakOccupancy: number;
  readonly late: number;
}

/** KEYS: each day's 1-minute bucket hash of the zone. ARGV: first (ms), to (ms), size (ms). */
export function footfallCall(keys: AnalyticsKeys, args: FootfallArgs): ScriptCall {
  const { first, to, size } = args;
  if (!Number.isSafeInteger(size) || size <= 0) throw new ScriptArgumentsError(`footfall: size ${size} is not a positive number of ms`);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(to)) throw new ScriptArgumentsError(`footfall: range [${first}, ${to}) is not in whole ms`);
  return { keys: args.days.map((day) => keys.bucketHash(args.zoneId, '1m', day)), args: [first, to, size] };
}

const FIELDS = 5;

/** The script's answer: start, in, out, peak, late for each bucket, oldest first, each start a multiple of `size` before `to`. */
export function decodeFootfallRows(reply: unknown, args: Pick<FootfallArgs, 'to' | 'size'>): FootfallRow[] {
  const expected = `expected ${FIELDS} integers (start, in, out, peak, late) per bucket`;
  if (!Array.isArray(reply) || reply.length % FIELDS !== 0 || !reply.every((v) => Number.isInteger(v))) {
    throw new ScriptAnswerError(`footfall answered ${shapeOf(reply)}${Array.isArray(reply) ? ' (not all integers, or not whole buckets)' : ''}: ${expected}`);
  }
  const flat = reply as number[];
  const rows: FootfallRow[] = [];
  for (let i = 0; i < flat.length; i += FIELDS) {
    const [start, into, out, peakOccupancy, late] = flat.slice(i, i + FIELDS) as [number, number, number, number, number];
    const previous = rows.at(-1);
    if (start % args.size !== 0 || start >= args.to || (previous && start <= previous.start)) {
      throw new ScriptAnswerError(
        `footfall answered bucket ${rows.length + 1} starting at ${start}: expected ascending starts, multiples of ${args.size} before ${args.to}`,
      );
    }
    rows.push({ start, in: into, out, peakOccupancy, late });
  }
  return rows;
}
