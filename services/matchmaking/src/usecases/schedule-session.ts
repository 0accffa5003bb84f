import { isDefiniteRefusal } from '@expo/bus';
import { MatchmakingSession, type MatchmakingSessionBody, type Meeting, type PublishedSchedule, type ScheduleSessionResponse } from '@expo/schemas';
import { notFound } from '@expo/service-kit';
import { HOLDING_STATUSES } from '../domain/meetings/lifecycle.ts';
import { scheduleSessionExact } from '../domain/scheduler/schedule.ts';
import type { ScheduleInput } from '../domain/scheduler/types.ts';
import type { MatchmakingDeps } from './deps.ts';
import { applyAction, keepUnconfirmed, publishMeetings, undoChange } from './meetings.ts';

export async function loadSession(deps: MatchmakingDeps, sessionId: string): Promise<MatchmakingSession> {
  const raw = await deps.redis.get(deps.keys.session(sessionId));
  if (raw === null) throw notFound('Matchmaking session');
  return MatchmakingSession.parse(JSON.parse(raw));
}

/** Kafka first (the compacted topic is the record), then Redis, as every wish of the service. */
async function saveSession(deps: MatchmakingDeps, session: MatchmakingSession): Promise<void> {
  await deps.producer.send(deps.topics.sessions, [{ type: 'session.defined', eventId: deps.expoId, data: session }]);
  await deps.redis.set(deps.keys.session(session.sessionId), JSON.stringify(session));
}

/** `PUT`: the organiser's definition; the figures of a schedule already published stay with it. */
export async function defineSession(deps: MatchmakingDeps, sessionId: string, body: MatchmakingSessionBody): Promise<MatchmakingSession> {
  const raw = await deps.redis.get(deps.keys.session(sessionId));
  const kept = raw === null ? undefined : MatchmakingSession.parse(JSON.parse(raw)).schedule;
  const session: MatchmakingSession = { ...body, sessionId, updatedAt: deps.now().toISOString(), ...(kept ? { schedule: kept } : {}) };
  await saveSession(deps, session);
  return session;
}

const PARTY_TAKEN = 'a party has a meeting at an overlapping time, booked after the draft was made';
const TABLE_TAKEN = 'its table is held at an overlapping time by another meeting';

const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

/**
 * The scheduler's input: the session's slots (days in the expo's zone), tables, the accepted
 * meetings, and for each participant the slots it cannot take — declared absences and slots whose
 * time overlaps its other meetings. A meeting that already holds a slot of the session keeps it.
 */
async function scheduleInput(deps: MatchmakingDeps, session: MatchmakingSession, batch: readonly Meeting[], timeZone: string): Promise<ScheduleInput> {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const slots = session.slots.map((s) => ({ id: s.slotId, day: day.format(new Date(s.start)), order: Date.parse(s.start), session: 'any' }));
  const slotByStart = new Map(session.slots.map((s) => [Date.parse(s.start), s.slotId]));
  const declared = new Map((session.participants ?? []).map((p) => [p.participantId, p]));
  const inBatch = new Set(batch.map((m) => m.meetingId));
  const ids = [...new Set(batch.flatMap((m) => [m.buyerId, m.exhibitorId]))];
  const participants = [];
  for (const id of ids) {
    const other = (await deps.meetings.ofParticipant(id))
      .map((s) => s.meeting)
      .filter((m) => !inBatch.has(m.meetingId) && HOLDING_STATUSES.includes(m.status) && m.slot);
    const away = declared.get(id)?.unavailable ?? [];
    const unavailable = session.slots.filter((s) => away.some((a) => overlaps(a, s)) || other.some((m) => overlaps(m.slot!, s))).map((s) => s.slotId);
    participants.push({ id, languages: declared.get(id)?.languages ?? [], unavailable });
  }
  const meetings = batch.map((m) => {
    const fixedSlot = m.slot ? slotByStart.get(Date.parse(m.slot.start)) : undefined;
    return { id: m.meetingId, participants: [m.buyerId, m.exhibitorId] as const, score: m.score ?? 0, ...(fixedSlot ? { fixedSlot } : {}) };
  });
  return { slots, tables: session.tables.map((t) => ({ id: t.tableId, languages: t.languages })), participants, meetings };
}

/** A draft: every accepted meeting of the session placed or explained; nothing booked until published. */
export async function draftSchedule(deps: MatchmakingDeps, sessionId: string, timeZone: string): Promise<ScheduleSessionResponse> {
  const session = await loadSession(deps, sessionId);
  const batch = (await deps.meetings.ofSession(sessionId)).map((s) => s.meeting).filter((m) => m.status === 'accepted');
  const result = await scheduleSessionExact(await scheduleInput(deps, session, batch, timeZone), { timeBudgetMs: deps.schedulerBudgetMs });
  const slots = new Map(session.slots.map((s) => [s.slotId, { start: s.start, end: s.end }]));
  const draft: ScheduleSessionResponse = {
    sessionId,
    status: 'draft',
    scheduled: result.placements.length,
    totalScore: Math.round(result.totalScore * 100) / 100,
    breaks: result.breaks,
    lowerBound: result.lowerBound,
    gap: result.gap,
    provenOptimal: result.provenOptimal,
    unplaced: [...result.unplaced],
    placements: result.placements.map((p) => ({ meetingId: p.meetingId, slot: slots.get(p.slotId)!, tableId: p.tableId })),
  };
  await deps.redis.set(deps.keys.draft(sessionId), JSON.stringify(draft));
  return draft;
}

/** The draft's breaks, bound, gap and optimality (absent only on a draft made before the scheduler reported them). */
function qualityOf(draft: ScheduleSessionResponse): Pick<PublishedSchedule, 'breaks' | 'lowerBound' | 'gap' | 'provenOptimal'> | undefined {
  const { breaks, lowerBound, gap, provenOptimal } = draft;
  if (breaks === undefined || lowerBound === undefined || gap === undefined || provenOptimal === undefined) return undefined;
  return { breaks, lowerBound, gap, provenOptimal };
}

/** Booked by an earlier attempt of this publish (one Kafka or the session record then failed): placed, nothing to redo. */
function bookedAsDrafted(meeting: Meeting, sessionId: string, placement: NonNullable<ScheduleSessionResponse['placements']>[number]): boolean {
  return (
    meeting.status === 'scheduled' &&
    meeting.sessionId === sessionId &&
    meeting.tableId === placement.tableId &&
    meeting.slot !== undefined &&
    Date.parse(meeting.slot.start) === Date.parse(placement.slot.start) &&
    Date.parse(meeting.slot.end) === Date.parse(placement.slot.end)
  );
}

/**
 * Books the draft: each meeting takes its time for both parties and its table atomically, refused
 * (and left unplaced) where anything booked since the draft overlaps it; then all are announced,
 * and the session keeps the schedule's figures (its record on the topic, then Redis) before the
 * draft goes. The figures are those of the computed schedule, also when some placements could not
 * be booked (`planned` says how many it placed): recomputing them for the booked part would need
 * the bound of another problem, and the organiser sees from `unplaced` what was left out.
 */
export async function publishSchedule(deps: MatchmakingDeps, sessionId: string): Promise<ScheduleSessionResponse> {
  const raw = await deps.redis.get(deps.keys.draft(sessionId));
  if (raw === null) throw notFound('Draft schedule');
  const draft = JSON.parse(raw) as ScheduleSessionResponse;
  const unplaced = [...draft.unplaced];
  const placed: NonNullable<ScheduleSessionResponse['placements']> = [];
  const changes = [];
  let totalScore = 0;
  for (const placement of draft.placements ?? []) {
    const stored = await deps.meetings.get(placement.meetingId);
    if (stored && bookedAsDrafted(stored.meeting, sessionId, placement)) {
      placed.push(placement);
      totalScore += stored.meeting.score ?? 0;
      continue;
    }
    if (!stored || stored.meeting.status !== 'accepted') {
      unplaced.push({ meetingId: placement.meetingId, reason: `the meeting is ${stored?.meeting.status ?? 'gone'} now` });
      continue;
    }
    const result = await applyAction(deps, stored, 'schedule', { sessionId, slot: placement.slot, tableId: placement.tableId });
    if (result === null || 'taken' in result) {
      const table = result !== null && result.taken === deps.keys.tableHolds(sessionId, placement.tableId);
      const reason = result === null ? 'the meeting changed after the draft was made' : table ? TABLE_TAKEN : PARTY_TAKEN;
      unplaced.push({ meetingId: placement.meetingId, reason });
      continue;
    }
    placed.push(placement);
    totalScore += result.meeting.score ?? 0;
    changes.push({ ...result, before: stored });
  }
  for (let i = 0; i < changes.length; i += 500) {
    try {
      await publishMeetings(deps, changes.slice(i, i + 500));
    } catch (error) {
      // What Kafka certainly did not take is taken back; a batch that may have landed stays and goes
      // to the outbox. The draft stays, so publishing can be retried.
      const unknown = isDefiniteRefusal(error) ? [] : changes.slice(i, i + 500);
      if (unknown.length > 0)
        await keepUnconfirmed(
          deps,
          unknown.map((c) => c.meeting),
        );
      for (const change of changes.slice(i + unknown.length)) await undoChange(deps, change.before, change.meeting).catch(() => undefined);
      throw error;
    }
  }
  const planned = (draft.placements ?? []).length;
  const quality = qualityOf(draft);
  const rounded = Math.round(totalScore * 100) / 100;
  if (quality) {
    const schedule: PublishedSchedule = { publishedAt: deps.now().toISOString(), scheduled: placed.length, planned, totalScore: rounded, ...quality };
    await saveSession(deps, { ...(await loadSession(deps, sessionId)), schedule });
  }
  await deps.redis.del(deps.keys.draft(sessionId));
  return { sessionId, status: 'published', scheduled: placed.length, totalScore: rounded, ...quality, planned, unplaced, placements: placed };
}
