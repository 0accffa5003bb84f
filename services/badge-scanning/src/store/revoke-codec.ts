import { ScriptAnswerError, shapeOf } from './script-answer.ts';

// The one place that knows how revoke.lua takes a revocation and what it answers.

/** One revoke.lua call, by name. */
export interface RevokeArgs {
  readonly badgeId: string;
  readonly revokedAt: string;
}

/** ARGV: 1 badgeId, 2 the revocation log's entry (the JSON devices sync). */
export function encodeRevokeArgs(args: RevokeArgs): [string, string] {
  return [args.badgeId, JSON.stringify({ badgeId: args.badgeId, revokedAt: args.revokedAt })];
}

/** revoke.lua's answer: the revocation's sequence number, or null when the badge was revoked before (0). */
export function decodeRevokeReply(reply: unknown): number | null {
  if (typeof reply === 'number' && Number.isSafeInteger(reply) && reply >= 0) return reply === 0 ? null : reply;
  throw new ScriptAnswerError(`revoke.lua answered ${shapeOf(reply)}: expected a sequence number, or 0 for a badge revoked before`);
}
