import { readTopicToEnd, type createKafka } from '@expo/bus';
import type { RebuildRun } from '@expo/service-kit';
import type { Meeting } from '@expo/schemas';
import { OPEN_STATUSES } from '../domain/meetings/lifecycle.ts';
import type { MatchmakingKeys } from '../store/keys.ts';
import type { MatchmakingDeps } from './deps.ts';

type Kafka = ReturnType<typeof createKafka>;

export interface RebuildReport {
  readonly meetings: number;
  readonly open: number;
  readonly seconds: number;
}

/**
 * The keys a meeting's snapshot implies, whatever its status: deleted before restoring, so a
 * stale hold or counter cannot survive. Derived from the snapshots rather than a SCAN, which
 * would walk the whole (shared) keyspace.
 */
function derivedKeys(keys: MatchmakingKeys, meeting: Meeting): string[] {
  const out = [keys.meeting(meeting.meetingId), keys.meetingsOf(meeting.buyerId), keys.meetingsOf(meeting.exhibitorId), keys.pair(meeting.buyerId, meeting.exhibitorId)];
  out.push(keys.sent(meeting.buyerId), keys.sent(meeting.exhibitorId), keys.active(meeting.buyerId), keys.active(meeting.exhibitorId));
  if (meeting.sessionId) out.push(keys.sessionMeetings(meeting.sessionId));
  if (meeting.slot) {
    out.push(keys.busy(meeting.buyerId, meeting.slot.start), keys.busy(meeting.exhibitorId, meeting.slot.start));
    if (meeting.tableId && meeting.sessionId) out.push(keys.table(meeting.sessionId, meeting.tableId, meeting.slot.start));
  }
  return out;
}

async function deleteDerived(deps: Pick<MatchmakingDeps, 'redis' | 'keys'>, meetings: Iterable<Meeting>): Promise<void> {
  const all = new Set<string>([deps.keys.expiry()]);
  for (const meeting of meetings) for (const key of derivedKeys(deps.keys, meeting)) all.add(key);
  const list = [...all];
  for (let i = 0; i < list.length; i += 1000) await deps.redis.unlink(...list.slice(i, i + 1000));
}

/** The Redis writes one meeting snapshot implies: itself, its indexes, holds, counters and expiry. */
function restore(pipeline: ReturnType<MatchmakingDeps['redis']['pipeline']>, keys: MatchmakingKeys, meeting: Meeting, ttlSeconds: number): void {
  pipeline.set(keys.meeting(meeting.meetingId), JSON.stringify(meeting));
  pipeline.sadd(keys.meetingsOf(meeting.buyerId), meeting.meetingId);
  pipeline.sadd(keys.meetingsOf(meeting.exhibitorId), meeting.meetingId);
  if (meeting.sessionId) pipeline.sadd(keys.sessionMeetings(meeting.sessionId), meeting.meetingId);
  if (meeting.requestedBy !== 'organiser') pipeline.incr(keys.sent(meeting.requestedBy === 'buyer' ? meeting.buyerId : meeting.exhibitorId));
  const open = OPEN_STATUSES.includes(meeting.status);
  const holding = open || meeting.status === 'held' || meeting.status === 'no_show';
  if (holding && meeting.slot) {
    pipeline.set(keys.busy(meeting.buyerId, meeting.slot.start), meeting.meetingId);
    pipeline.set(keys.busy(meeting.exhibitorId, meeting.slot.start), meeting.meetingId);
    if (meeting.tableId && meeting.sessionId) pipeline.set(keys.table(meeting.sessionId, meeting.tableId, meeting.slot.start), meeting.meetingId);
  }
  if (!open) return;
  pipeline.set(keys.pair(meeting.buyerId, meeting.exhibitorId), meeting.meetingId);
  pipeline.incr(keys.active(meeting.buyerId));
  pipeline.incr(keys.active(meeting.exhibitorId));
  if (meeting.status === 'requested') pipeline.zadd(keys.expiry(), Date.parse(meeting.requestedAt) + ttlSeconds * 1000, meeting.meetingId);
}

/**
 * Meetings' Redis state from the compacted `matchmaking.meetings.v1` alone: the latest snapshot
 * per meeting gives the meeting, who holds which slot and table, the open pair, the quotas'
 * counters and the pending requests' expiry. Records of other expos are skipped.
 */
export async function rebuildMeetings(
  deps: Pick<MatchmakingDeps, 'redis' | 'keys' | 'topics' | 'expoId' | 'limits'>,
  kafka: Kafka,
  run: Pick<RebuildRun, 'checkpoint' | 'folded'>,
): Promise<RebuildReport> {
  const started = Date.now();
  const latest = new Map<string, Meeting>();
  await readTopicToEnd(kafka, deps.topics.meetings, (record) => {
    if (record.kind === 'tombstone') latest.delete(record.key);
    else if (record.event.eventId === deps.expoId) {
      const { changed: _changed, ...meeting } = record.event.data;
      latest.set(meeting.meetingId, meeting);
    }
  });
  await run.checkpoint();
  await deleteDerived(deps, latest.values());
  let pipeline = deps.redis.pipeline();
  for (const meeting of latest.values()) {
    restore(pipeline, deps.keys, meeting, deps.limits.requestTtlSeconds);
    if (pipeline.length >= 5000) {
      await run.checkpoint();
      await pipeline.exec();
      pipeline = deps.redis.pipeline();
    }
  }
  await run.checkpoint();
  await pipeline.exec();
  run.folded(latest.size);
  const open = [...latest.values()].filter((m) => OPEN_STATUSES.includes(m.status)).length;
  return { meetings: latest.size, open, seconds: (Date.now() - started) / 1000 };
}
