import type { AnalyticsKeys } from './keys.ts';
import { ScriptAnswerError, ScriptArgumentsError, shapeOf, type ScriptCall } from './script-boundary.ts';

// The one place that knows how apply-snapshot.lua takes one entity's snapshot and what it answers:
// the key and argument slots of its header, and the "field=n;field=n" form its counters travel in.

/** One apply-snapshot.lua call, by name. */
export interface ApplySnapshotArgs {
  /** `topic:partition` of the record: whose positions and highest offset the script keeps. */
  readonly where: string;
  /** The record's offset, a decimal string as the log gives it. */
  readonly offset: string;
  /** The record's key; a record without one is kept under ''. */
  readonly recordKey: string;
  /** The entity's field in the state and attributes hashes. */
  readonly id: string;
  /** The hash of the entities' last counters, by its name (`AnalyticsKeys.hash`). */
  readonly stateHash: string;
  /** The hash the counters are moved in, by its name. */
  readonly countersHash: string;
  /** Counter increments the entity contributes now; empty (or all zero) when it no longer counts. */
  readonly counters: Readonly<Record<string, number>>;
  /** Where the entity's attributes are kept, by the hash's name, and their value (null or '': deleted). */
  readonly attributes?: { readonly hash: string; readonly value: string | null };
}

/** What the script did with the record: applied it, or skipped it as applied before (its position). */
export type SnapshotOutcome = 'applied' | 'skipped';

/** `field=n;field=n`, the script's counter form: zero counts left out, `=` and `;` in a field made `_`. */
export function encodeCounters(counters: Readonly<Record<string, number>>): string {
  return Object.entries(counters)
    .filter(([, n]) => n !== 0)
    .map(([field, n]) => `${field.replace(/[=;]/g, '_')}=${Math.round(n)}`)
    .join(';');
}

/**
 * KEYS: 1 the partition's positions, 2 highest offsets, 3 state hash, 4 counter hash, 5 attributes
 * hash (only when the entity keeps attributes). ARGV: where, offset, record key, id, counters ('' =
 * gone), attributes value ('' = delete).
 */
export function applySnapshotCall(keys: AnalyticsKeys, args: ApplySnapshotArgs): ScriptCall {
  // The script compares offsets as numbers; anything else would fail inside it, half explained.
  if (!/^\d+$/.test(args.offset)) throw new ScriptArgumentsError(`apply-snapshot: offset ${JSON.stringify(args.offset)} is not a decimal offset`);
  const { attributes } = args;
  return {
    keys: [
      keys.positions(args.where),
      keys.offsets,
      keys.hash(args.stateHash),
      keys.hash(args.countersHash),
      ...(attributes ? [keys.hash(attributes.hash)] : []),
    ],
    args: [args.where, args.offset, args.recordKey, args.id, encodeCounters(args.counters), attributes?.value ?? ''],
  };
}

/** The script's answer: 1 applied, 0 skipped. */
export function decodeSnapshotOutcome(reply: unknown): SnapshotOutcome {
  if (reply === 1) return 'applied';
  if (reply === 0) return 'skipped';
  throw new ScriptAnswerError(`apply-snapshot answered ${shapeOf(reply)}: expected 1 (applied) or 0 (skipped)`);
}
