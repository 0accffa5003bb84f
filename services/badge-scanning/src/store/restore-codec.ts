import type { DecidedScan } from '../domain/decided-scan.ts';
import { encodeDecision } from './decision-codec.ts';
import { countAnswer } from './script-answer.ts';

// The one place that knows how restore.lua takes the decisions a rebuild restores and what it answers.

/** One decision a rebuild took from the scan log, or the annulment of one restored before it. */
export interface RestoreEntry {
  readonly scanId: string;
  /** null for an annulment alone (it marks a decision restored before it). */
  readonly decision: DecidedScan | null;
  readonly annulledOccupancy: number | null;
}

/** One restore.lua call, by name: the entries in the order of their decision hashes (KEYS). */
export interface RestoreArgs {
  /** How long a decision is remembered (each hash's TTL). */
  readonly ttlSeconds: number;
  readonly entries: readonly RestoreEntry[];
}

/** ARGV: 1 the TTL, then per entry a kind and a value: 'j' and the decision JSON, or 'a' and the occupancy after its annulment. */
export function encodeRestoreArgs(args: RestoreArgs): Array<string | number> {
  const argv: Array<string | number> = [args.ttlSeconds];
  for (const entry of args.entries) argv.push(...(entry.decision === null ? ['a', entry.annulledOccupancy ?? 0] : ['j', encodeDecision(entry.decision)]));
  return argv;
}

/** restore.lua's answer: how many entries it was sent; anything else is refused. */
export function decodeRestoreReply(reply: unknown, sent: number): number {
  return countAnswer('restore.lua', reply, sent);
}
