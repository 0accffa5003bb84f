import { readTopicToEnd, type createKafka } from '@expo/bus';
import type { RebuildRun } from '@expo/service-kit';
import type { Meeting } from '@expo/schemas';
import { OPEN_STATUSES } from '../domain/meetings/lifecycle.ts';
import { holdKeys, holdsOf } from '../store/holds.ts';
import type { MatchmakingKeys } from '../store/keys.ts';
import type { MatchmakingDeps } from './deps.ts';
import { resolveOverlaps } from './resolve-overlaps.ts';

type Kafka = ReturnType<typeof createKafka>;

export interface RebuildReport {
  readonly meetings: number;
  readonly open: number;
  /** Meetings that overlapped an earlier one of a party or table in the log, and lost their time. */
  readonly displaced: number;
  readonly seconds: number;
}

/**
 * The keys a meeting's snapshot implies, whatever its status: deleted before restoring, so a
 * stale hold or counter cannot survive. Derived from the snapshots rather than a SCAN, which
 * would walk the whole (shared) keyspace.
 */
function derivedKeys(keys: MatchmakingKeys, meeting: Meeting): string[] {
  const out = [
    keys.meeting(meeting.meetingId),
    keys.meetingsOf(meeting.buyerId),
    keys.meetingsOf(meeting.exhibitorId),
    keys.pair(meeting.buyerId, meeting.exhibitorId),
  ];
  out.push(keys.sent(meeting.buyerId), keys.sent(meeting.exhibitorId), keys.active(meeting.buyerId), keys.active(meeting.exhibitorId));
  if (meeting.sessionId) out.push(keys.sessionMeetings(meeting.sessionId));
  out.push(...holdKeys(keys, meeting));
  return out;
}

async function deleteDerived(deps: Pick<MatchmakingDeps, 'redis' | 'keys'>, meetings: Iterable<Meeting>): Promise<void> {
  const all = new Set<string>([deps.keys.expiry(), deps.keys.outbox()]);
  for (const meeting of meetings) for (const key of derivedKeys(deps.keys, meeting)) all.add(key);
  const list = [...all];
  for (let i = 0; i < list.length; i += 1000) await deps.redis.unlink(...list.slice(i, i + 1000));
}

/** The Redis writes one meeting snapshot implies: itself, its indexes, the times it holds, counters and expiry. */
function restore(
  pipeline: ReturnType<MatchmakingDeps['redis']['pipeline']>,
  keys: MatchmakingKeys,
  meeting: Meeting,
  ttlSeconds: number,
  holds: boolean,
): void {
  pipeline.set(keys.meeting(meeting.meetingId), JSON.stringify(meeting));
  pipeline.sadd(keys.meetingsOf(meeting.buyerId), meeting.meetingId);
  pipeline.sadd(keys.meetingsOf(meeting.exhibitorId), meeting.meetingId);
  if (meeting.sessionId) pipeline.sadd(keys.sessionMeetings(meeting.sessionId), meeting.meetingId);
  if (meeting.requestedBy !== 'organiser') pipeline.incr(keys.sent(meeting.requestedBy === 'buyer' ? meeting.buyerId : meeting.exhibitorId));
  if (holds) for (const hold of holdsOf(keys, meeting)) pipeline.zadd(hold.key, hold.start, hold.member);
  if (!OPEN_STATUSES.includes(meeting.status)) return;
  pipeline.set(keys.pair(meeting.buyerId, meeting.exhibitorId), meeting.meetingId);
  pipeline.incr(keys.active(meeting.buyerId));
  pipeline.incr(keys.active(meeting.exhibitorId));
  if (meeting.status === 'requested') pipeline.zadd(keys.expiry(), Date.parse(meeting.requestedAt) + ttlSeconds * 1000, meeting.meetingId);
}

/** Where and when a meeting holds its time, as far as overlaps go; null when it holds none. */
function placeOf(meeting: Meeting): string | null {
  if (!meeting.slot) return null;
  return `${Date.parse(meeting.slot.start)}|${Date.parse(meeting.slot.end)}|${meeting.sessionId ?? ''}|${meeting.tableId ?? ''}`;
}

/**
 * The outbox's meetings (their latest change unacknowledged): one whose snapshot the log holds, or
 * a newer one, is settled and leaves; one the log lacks is state all the same (kept in Redis after
 * its 503, written again until acknowledged), so it is folded as its meeting's latest snapshot and
 * stays queued. Read before the derived keys go, as they hold the snapshots.
 */
async function foldOutbox(
  deps: Pick<MatchmakingDeps, 'outbox' | 'meetings'>,
  latest: Map<string, Meeting>,
  since: Map<string, string>,
): Promise<Map<string, number>> {
  const queued = await deps.outbox.all();
  const kept = new Map<string, number>();
  for (const { meeting } of await deps.meetings.many([...queued.keys()])) {
    const logged = latest.get(meeting.meetingId);
    if (logged && Date.parse(logged.updatedAt) >= Date.parse(meeting.updatedAt)) continue;
    const place = placeOf(meeting);
    if (place === null) since.delete(meeting.meetingId);
    else if (!logged || placeOf(logged) !== place) since.set(meeting.meetingId, meeting.updatedAt);
    latest.set(meeting.meetingId, meeting);
    kept.set(meeting.meetingId, queued.get(meeting.meetingId)!);
  }
  return kept;
}

/**
 * Meetings' Redis state from the compacted `matchmaking.meetings.v1` alone: the latest snapshot
 * per meeting gives the meeting, the times its parties and table are held, the open pair, the
 * quotas' counters and the pending requests' expiry. Records of other expos are skipped. Meetings
 * of the log that overlap an earlier one of a party or table lose their time, logged
 * (resolve-overlaps.ts), so the state never holds a party or a table twice at once. The outbox's
 * meetings the log lacks are folded too (foldOutbox).
 */
export async function rebuildMeetings(
  deps: Pick<MatchmakingDeps, 'redis' | 'keys' | 'topics' | 'expoId' | 'limits' | 'producer' | 'now' | 'log' | 'outbox' | 'meetings'>,
  kafka: Kafka,
  run: Pick<RebuildRun, 'checkpoint' | 'folded'>,
): Promise<RebuildReport> {
  const started = Date.now();
  const latest = new Map<string, Meeting>();
  // When each meeting took the time it holds now: its records are in order on one partition.
  const since = new Map<string, string>();
  await readTopicToEnd(
    kafka,
    deps.topics.meetings,
    (record) => {
      if (record.kind === 'tombstone') {
        latest.delete(record.key);
        since.delete(record.key);
      } else {
        const { changed: _changed, ...meeting } = record.event.data;
        const place = placeOf(meeting);
        const previous = latest.get(meeting.meetingId);
        if (place === null) since.delete(meeting.meetingId);
        else if (!previous || placeOf(previous) !== place) since.set(meeting.meetingId, record.event.recordedAt);
        latest.set(meeting.meetingId, meeting);
      }
    },
    { eventId: deps.expoId },
  );
  const unconfirmed = await foldOutbox(deps, latest, since);
  await run.checkpoint();
  await deleteDerived(deps, latest.values());
  const { unheld, displaced } = await resolveOverlaps(deps, latest, since, () => run.checkpoint());
  let pipeline = deps.redis.pipeline();
  for (const meeting of latest.values()) {
    restore(pipeline, deps.keys, meeting, deps.limits.requestTtlSeconds, !unheld.has(meeting.meetingId));
    if (pipeline.length >= 5000) {
      await run.checkpoint();
      await pipeline.exec();
      pipeline = deps.redis.pipeline();
    }
  }
  for (const [meetingId, queuedAt] of unconfirmed) pipeline.zadd(deps.keys.outbox(), queuedAt, meetingId);
  await run.checkpoint();
  await pipeline.exec();
  run.folded(latest.size);
  const open = [...latest.values()].filter((m) => OPEN_STATUSES.includes(m.status)).length;
  return { meetings: latest.size, open, displaced, seconds: (Date.now() - started) / 1000 };
}
