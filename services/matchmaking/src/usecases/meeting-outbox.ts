import type { MatchmakingDeps } from './deps.ts';
import { publishMeetings } from './meetings.ts';

export const OUTBOX_PAGE = 200;

/**
 * One pass of the outbox: the meetings waiting longer than `graceMs` have their current snapshot
 * written again (same record ids) and, once Kafka acknowledged it, leave the outbox. A meeting
 * changed meanwhile stays for its newer snapshot; one that is gone leaves. Several instances may
 * write the same meeting: same ids, deduped downstream. Throws when Kafka does not acknowledge.
 */
export async function publishUnconfirmedMeetings(deps: MatchmakingDeps, graceMs: number, limit = OUTBOX_PAGE): Promise<number> {
  const ids = await deps.outbox.due(Date.now() - graceMs, limit);
  if (ids.length === 0) return 0;
  const stored = await deps.meetings.many(ids);
  const present = new Set(stored.map((s) => s.meeting.meetingId));
  for (const id of ids) if (!present.has(id)) await deps.outbox.settle(id, '');
  await publishMeetings(
    deps,
    stored.map((s) => ({ meeting: s.meeting, changed: Object.keys(s.meeting) })),
  );
  for (const s of stored) await deps.outbox.settle(s.meeting.meetingId, s.raw);
  return ids.length;
}
