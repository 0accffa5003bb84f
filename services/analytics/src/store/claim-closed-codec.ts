import type { AnalyticsKeys } from './keys.ts';
import { ScriptAnswerError, ScriptArgumentsError, shapeOf, type ScriptCall } from './script-boundary.ts';

// The one place that knows how claim-closed.lua is called and what it answers: the dirty buckets
// it took, each a member `zone|minute start` of the dirty set as apply-scans.lua writes it.

/** One claim-closed.lua call, by name. */
export interface ClaimClosedArgs {
  /** Buckets whose start (ms) is at most this are closed. */
  readonly closedBefore: number;
  /** At most this many are taken. */
  readonly limit: number;
}

/** A closed 1-minute bucket taken from the dirty set. */
export interface ClaimedBucket {
  readonly zoneId: string;
  readonly start: number;
  /** As the dirty set held it: what marks the bucket again if it cannot be published. */
  readonly member: string;
}

/** KEYS: 1 the dirty buckets. ARGV: closed before (ms), limit. */
export function claimClosedCall(keys: AnalyticsKeys, args: ClaimClosedArgs): ScriptCall {
  // A negative LIMIT count takes every bucket, which is never what a caller of a limit means.
  if (!Number.isInteger(args.limit) || args.limit < 0) throw new ScriptArgumentsError(`claim-closed: limit ${args.limit} is not a count`);
  if (!Number.isFinite(args.closedBefore)) throw new ScriptArgumentsError(`claim-closed: closedBefore ${args.closedBefore} is not a time`);
  return { keys: [keys.dirty], args: [args.closedBefore, args.limit] };
}

/** A dirty set member back to its zone and minute start, or null when it is not one. */
function parseMember(member: string): ClaimedBucket | null {
  const cut = member.lastIndexOf('|');
  const digits = member.slice(cut + 1);
  if (cut <= 0 || !/^\d+$/.test(digits)) return null;
  const start = Number(digits);
  return Number.isSafeInteger(start) ? { zoneId: member.slice(0, cut), start, member } : null;
}

/** The script's answer: the members it took, at most `limit`, each `zone|minute start`. */
export function decodeClaimedBuckets(reply: unknown, limit: number): ClaimedBucket[] {
  if (!Array.isArray(reply) || reply.length > limit) {
    throw new ScriptAnswerError(`claim-closed answered ${shapeOf(reply)}: expected a list of at most ${limit} dirty buckets`);
  }
  return reply.map((member: unknown, i) => {
    const bucket = typeof member === 'string' ? parseMember(member) : null;
    if (!bucket)
      throw new ScriptAnswerError(
        `claim-closed answered ${typeof member === 'string' ? JSON.stringify(member) : shapeOf(member)} as bucket ${i + 1}: expected "zone|minute start"`,
      );
    return bucket;
  });
}
