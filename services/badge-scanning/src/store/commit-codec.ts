import { countAnswer } from './script-answer.ts';

// The one place that knows how commit.lua takes the outbox members Kafka acknowledged and what it
// answers, and how an outbox member names what it holds (annul.lua and revert.lua write the same).

const ANNUL = 'annul:';

/** An outbox member, by name: the decision of a scan, or its annulment. */
export interface OutboxMember {
  readonly scanId: string;
  readonly annulment: boolean;
}

/** The member as the outbox keeps it: the scanId, or `annul:<scanId>`. */
export function encodeOutboxMember(member: OutboxMember): string {
  return member.annulment ? `${ANNUL}${member.scanId}` : member.scanId;
}

export function decodeOutboxMember(member: string): OutboxMember {
  return member.startsWith(ANNUL) ? { scanId: member.slice(ANNUL.length), annulment: true } : { scanId: member, annulment: false };
}

/**
 * ARGV: the members, in the order of their keys (KEYS after the outbox and the badges with an
 * unconfirmed move: the decision hash of each member's scan).
 */
export function encodeCommitArgs(members: readonly string[]): string[] {
  return [...members];
}

/** commit.lua's answer: how many members it was sent; anything else is refused. */
export function decodeCommitReply(reply: unknown, sent: number): number {
  return countAnswer('commit.lua', reply, sent);
}
