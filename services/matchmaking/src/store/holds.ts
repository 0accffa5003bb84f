import type { Meeting } from '@expo/schemas';
import { HOLDING_STATUSES } from '../domain/meetings/lifecycle.ts';
import type { MatchmakingKeys } from './keys.ts';

/**
 * A time a meeting holds in a participant's or a table's hold set: a sorted set scored by the
 * start (ms since the epoch) with members `<startMs>:<endMs>:<meetingId>`. The interval is
 * half-open, [start, end), so 10:00–10:30 and 10:30–11:00 do not overlap. The scripts read a
 * member back with the pattern `^(-?%d+):(-?%d+):(.+)$` (request-meeting.lua, change-meeting.lua),
 * and keep each set free of overlaps: that is what lets them check a new time against one or two
 * neighbours instead of the whole set.
 */
export interface Hold {
  readonly key: string;
  readonly start: number;
  readonly member: string;
}

export function holdMember(start: number, end: number, meetingId: string): string {
  return `${start}:${end}:${meetingId}`;
}

/** The keys a meeting's time would be held in (buyer, exhibitor, and its table when seated), whatever its status. */
export function holdKeys(keys: MatchmakingKeys, meeting: Meeting): string[] {
  const out = [keys.participantHolds(meeting.buyerId), keys.participantHolds(meeting.exhibitorId)];
  if (meeting.tableId && meeting.sessionId) out.push(keys.tableHolds(meeting.sessionId, meeting.tableId));
  return out;
}

/** What a meeting holds in its status: its time for both parties and its table; nothing without a slot. */
export function holdsOf(keys: MatchmakingKeys, meeting: Meeting): Hold[] {
  if (!meeting.slot || !HOLDING_STATUSES.includes(meeting.status)) return [];
  const start = Date.parse(meeting.slot.start);
  const member = holdMember(start, Date.parse(meeting.slot.end), meeting.meetingId);
  return holdKeys(keys, meeting).map((key) => ({ key, start, member }));
}

export function sameHold(a: Hold, b: Hold): boolean {
  return a.key === b.key && a.member === b.member;
}
