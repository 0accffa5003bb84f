import { ScriptAnswerError, shapeOf } from './script-answer.ts';

// The one place that knows how revert.lua takes a change to take back and what it answers.

/** What becomes of the decision hash: forgotten (a decision taken back), its annulment dropped, or kept. */
export type DecisionHashChange = 'forget' | 'unannul' | 'keep';

/** One revert.lua call, by name. */
export interface RevertArgs {
  readonly badgeId: string;
  /** Where the change left the badge (null: outside): anywhere else, a later scan built on it and nothing is taken back. */
  readonly leftAt: string | null;
  /** Where the badge is put back (null: outside). */
  readonly restoreLocation: string | null;
  /** The badge's last move time put back (ms); null leaves it. */
  readonly restoreLastMoveMs: number | null;
  readonly decisionHash: DecisionHashChange;
  /** The outbox member the change held, dropped from the outbox; null for none. */
  readonly outboxMember: string | null;
  /** Added to each zone's occupancy. */
  readonly occupancyDeltas: ReadonlyArray<readonly [zoneId: string, delta: number]>;
}

const HASH_OPS: Record<DecisionHashChange, string> = { forget: 'del', unannul: 'unannul', keep: '' };

/**
 * ARGV: 1 badgeId, 2 location the change left ('' outside), 3 location to restore, 4 last move
 * time to restore ('' to leave it), 5 'del' | 'unannul' | '', 6 outbox member ('' none), then
 * pairs of zoneId, delta.
 */
export function encodeRevertArgs(args: RevertArgs): Array<string | number> {
  return [
    args.badgeId,
    args.leftAt ?? '',
    args.restoreLocation ?? '',
    args.restoreLastMoveMs === null ? '' : String(args.restoreLastMoveMs),
    HASH_OPS[args.decisionHash],
    args.outboxMember ?? '',
    ...args.occupancyDeltas.flatMap(([zoneId, delta]) => [zoneId, delta]),
  ];
}

/** revert.lua's answer: 1 taken back, 0 not (the badge has moved on since). */
export function decodeRevertReply(reply: unknown): boolean {
  if (reply === 1 || reply === 0) return reply === 1;
  throw new ScriptAnswerError(`revert.lua answered ${shapeOf(reply)}: expected 1 (taken back) or 0 (the badge has moved on)`);
}
