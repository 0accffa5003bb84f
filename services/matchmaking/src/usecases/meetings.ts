import { randomUUID } from 'node:crypto';
import { derivedRecordId, isDefiniteRefusal } from '@expo/bus';
import type { Meeting, RequestMeetingBody } from '@expo/schemas';
import { conflict, forbidden, notFound, type Principal } from '@expo/service-kit';
import { advance, mayAct, OPEN_STATUSES, TRANSITIONS, type MeetingAction, type Side } from '../domain/meetings/lifecycle.ts';
import { countMeetings } from '../metrics.ts';
import type { StoredMeeting } from '../store/meeting-store.ts';
import type { MatchmakingDeps } from './deps.ts';
import { actsFor, sideOf } from './parties.ts';

/**
 * A record's id follows from the snapshot it carries, so the outbox writing a snapshot again writes
 * the same record: consumers dedupe on the envelope id.
 */
export function meetingRecordId(expoId: string, meeting: Meeting): string {
  return derivedRecordId(expoId, meeting.meetingId, meeting.status, meeting.updatedAt);
}

/** Every state change is a `meeting.<status>` record with the whole snapshot on the compacted topic. */
export async function publishMeetings(deps: MatchmakingDeps, changes: ReadonlyArray<{ meeting: Meeting; changed: string[] }>): Promise<void> {
  if (changes.length === 0) return;
  const inputs = changes.map(({ meeting, changed }) => ({
    id: meetingRecordId(deps.expoId, meeting),
    type: `meeting.${meeting.status}`,
    eventId: deps.expoId,
    data: { ...meeting, changed },
  }));
  await deps.producer.send(deps.topics.meetings, inputs as Parameters<typeof deps.producer.send<typeof deps.topics.meetings>>[1]);
  // Counted once acknowledged: a change Kafka refused is taken back, one kept for the outbox is
  // counted when the outbox's write is acknowledged.
  countMeetings(deps.metrics, changes);
}

/**
 * A send that failed without a definite refusal (above all a timeout) may still land: the changes
 * stay in Redis and go to the outbox, which writes them again until Kafka acknowledges them.
 */
export async function keepUnconfirmed(deps: MatchmakingDeps, meetings: readonly Meeting[]): Promise<void> {
  const ids = meetings.map((m) => m.meetingId);
  await deps.outbox
    .add(ids, Date.now())
    .catch((error: unknown) => deps.log.error({ err: error, meetingIds: ids }, 'unconfirmed meeting changes could not be queued'));
}

/**
 * Kafka refused the record of a change: the change is taken back in Redis (compare-and-set on the
 * snapshot it wrote), so the caller's 503 leaves the meeting as it was (promise 7, docs/promises.md). If someone
 * changed the meeting meanwhile, that change stands and is logged for reconciliation.
 */
export async function undoChange(deps: MatchmakingDeps, before: StoredMeeting, after: Meeting): Promise<void> {
  const wasOpen = OPEN_STATUSES.includes(before.meeting.status);
  const isOpen = OPEN_STATUSES.includes(after.status);
  const expiresAt = before.meeting.status === 'requested' ? Date.parse(before.meeting.requestedAt) + deps.limits.requestTtlSeconds * 1000 : undefined;
  // The change back takes again the times `before` held and frees those only `after` held.
  const outcome = await deps.meetings.change({ raw: JSON.stringify(after), meeting: after }, before.meeting, {
    ends: wasOpen ? false : isOpen,
    reopens: wasOpen && !isOpen,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
  if (outcome.kind !== 'ok') deps.log.error({ meetingId: after.meetingId, outcome: outcome.kind }, 'a meeting change Kafka refused could not be taken back');
}

/**
 * Publishes changes made in Redis; a change Kafka certainly refused is taken back before the error
 * goes on, one whose outcome is unknown stays and goes to the outbox.
 */
async function publishOrUndo(deps: MatchmakingDeps, before: StoredMeeting, result: { meeting: Meeting; changed: string[] }): Promise<void> {
  try {
    await publishMeetings(deps, [result]);
  } catch (error) {
    if (isDefiniteRefusal(error)) await undoChange(deps, before, result.meeting).catch(() => undefined);
    else await keepUnconfirmed(deps, [result.meeting]);
    throw error;
  }
}

function checkRequester(deps: MatchmakingDeps, body: RequestMeetingBody, principal: Principal): string | null {
  if (principal.role === 'admin') return body.requestedBy === 'organiser' ? null : body.requestedBy === 'buyer' ? body.buyerId : body.exhibitorId;
  const own = body.requestedBy === 'buyer' ? body.buyerId : body.exhibitorId;
  const role = body.requestedBy === 'buyer' ? 'attendee' : 'exhibitor';
  if (body.requestedBy === 'organiser' || principal.role !== role || !actsFor(principal, own, deps.recommender)) {
    throw forbidden('Only the requesting party itself (or admin) may ask for this meeting');
  }
  return own;
}

export async function requestMeeting(deps: MatchmakingDeps, body: RequestMeetingBody, principal: Principal): Promise<Meeting> {
  if (!deps.recommender.buyers.has(body.buyerId)) throw notFound('Buyer');
  if (!deps.recommender.exhibitors.has(body.exhibitorId)) throw notFound('Exhibitor');
  const requester = checkRequester(deps, body, principal);
  if (body.sessionId && (await deps.redis.exists(deps.keys.session(body.sessionId))) === 0) throw notFound('Matchmaking session');
  const now = deps.now();
  const score = deps.recommender.score(body.buyerId, body.exhibitorId)?.score ?? 0;
  const meeting: Meeting = {
    meetingId: randomUUID(),
    buyerId: body.buyerId,
    exhibitorId: body.exhibitorId,
    requestedBy: body.requestedBy,
    ...(body.sessionId ? { sessionId: body.sessionId } : {}),
    score,
    status: 'requested',
    requestedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const limits = { maxSent: deps.limits.maxSent, maxActive: deps.limits.maxActive, expiresAt: now.getTime() + deps.limits.requestTtlSeconds * 1000 };
  const outcome = await deps.meetings.request(meeting, requester, limits, body.preferredSlots ?? []);
  switch (outcome.kind) {
    case 'ok':
      try {
        await publishMeetings(deps, [{ meeting: outcome.stored.meeting, changed: Object.keys(outcome.stored.meeting) }]);
      } catch (error) {
        // Maybe logged (a timeout): the meeting stays, holds and quota too, and the outbox writes it
        // until Kafka acknowledges; a retry of the request finds it as the pair's open meeting.
        if (!isDefiniteRefusal(error)) {
          await keepUnconfirmed(deps, [outcome.stored.meeting]);
          throw error;
        }
        // Certainly not logged, so never made: no meeting, quota place or slot hold stays behind.
        const withdrawn = await deps.meetings.withdraw(outcome.stored, requester).catch(() => false);
        if (!withdrawn) deps.log.error({ meetingId: meeting.meetingId }, 'a meeting request Kafka refused could not be taken back');
        throw error;
      }
      return outcome.stored.meeting;
    case 'refused':
      throw conflict('One side said it does not want to meet the other', [{ reason: 'preference_no' }]);
    case 'duplicate':
      throw conflict('An open meeting between these parties exists already', [{ reason: 'duplicate', meetingId: outcome.meetingId }]);
    case 'quota_sent':
      throw conflict(`The requester has sent the most requests allowed (${deps.limits.maxSent})`, [{ reason: 'quota_requests_sent' }]);
    case 'quota_meetings':
      throw conflict(`A party has the most meetings allowed (${deps.limits.maxActive})`, [{ reason: 'quota_meetings', participantId: outcome.participantId }]);
    case 'double_booked':
      throw conflict('None of the preferred slots is free for both parties', [{ reason: 'double_booked' }]);
  }
}

/**
 * Applies one action under compare-and-set; null when the meeting moved on meanwhile (callers
 * decide); `taken` (the hold set) when the time the new snapshot holds overlaps another meeting of
 * a party or of its table, whatever the starts and lengths, so nothing changed.
 */
export async function applyAction(
  deps: MatchmakingDeps,
  stored: StoredMeeting,
  action: MeetingAction,
  extra: Partial<Meeting> = {},
): Promise<{ meeting: Meeting; changed: string[] } | { taken: string } | null> {
  const next = advance(stored.meeting, action, deps.now(), extra);
  const ends = !OPEN_STATUSES.includes(next.meeting.status);
  const outcome = await deps.meetings.change(stored, next.meeting, { ends });
  if (outcome.kind === 'ok') return next;
  if (outcome.kind === 'taken') return { taken: outcome.key };
  return null;
}

export async function actOnMeeting(
  deps: MatchmakingDeps,
  meetingId: string,
  action: MeetingAction,
  caller: Principal | Side,
  extra: Partial<Meeting> = {},
): Promise<Meeting> {
  const stored = await deps.meetings.get(meetingId);
  if (!stored) throw notFound('Meeting');
  const side = typeof caller === 'string' ? caller : sideOf(caller, stored.meeting, deps.recommender);
  if (!mayAct(side, action, stored.meeting)) throw forbidden('Only the meeting’s parties (the invited one to answer) or admin may do this');
  if (!TRANSITIONS[action].from.includes(stored.meeting.status)) {
    throw conflict(`The meeting is ${stored.meeting.status}; it cannot be ${TRANSITIONS[action].to} now`, [
      { reason: 'status', status: stored.meeting.status },
    ]);
  }
  const result = await applyAction(deps, stored, action, extra);
  if (result === null) throw conflict('The meeting changed meanwhile; read it again', [{ reason: 'concurrent_change' }]);
  // The meeting's time overlaps another meeting of a party: the same answer as for a request.
  if ('taken' in result) throw conflict('The meeting’s time overlaps another meeting of a party', [{ reason: 'double_booked' }]);
  await publishOrUndo(deps, stored, result);
  return result.meeting;
}

/** Pending requests past their time: expired, their slots freed; each instance sweeps, one wins per meeting. */
export async function expireDue(deps: MatchmakingDeps, limit = 100): Promise<number> {
  let expired = 0;
  for (const id of await deps.meetings.dueForExpiry(deps.now().getTime(), limit)) {
    const stored = await deps.meetings.get(id);
    if (!stored || stored.meeting.status !== 'requested') {
      await deps.redis.zrem(deps.keys.expiry(), id);
      continue;
    }
    const result = await applyAction(deps, stored, 'expire');
    if (result && !('taken' in result)) {
      await publishOrUndo(deps, stored, result);
      expired++;
    }
  }
  return expired;
}

/** A cancelled or erased registration ends the person's open meetings. */
export async function cancelMeetingsOf(deps: MatchmakingDeps, participantId: string): Promise<number> {
  let cancelled = 0;
  for (const stored of await deps.meetings.ofParticipant(participantId)) {
    if (!OPEN_STATUSES.includes(stored.meeting.status)) continue;
    const result = await applyAction(deps, stored, 'cancel');
    if (result && !('taken' in result)) {
      await publishOrUndo(deps, stored, result);
      cancelled++;
    }
  }
  return cancelled;
}
