import { decodeRecord } from '@expo/bus';
import { TOPICS, type Meeting, type MeetingStatus } from '@expo/schemas';
import type { MeetingAnswer } from '../journal.ts';
import type { CheckInput, CheckResult } from './check-result.ts';
import { readLog } from './read-log.ts';
import { Tally } from './tally.ts';

// As matchmaking holds them (services/matchmaking/src/domain/meetings/lifecycle.ts): an open
// meeting holds its slot, a held or missed one keeps it as history; only one open per pair.
const OPEN: readonly MeetingStatus[] = ['requested', 'accepted', 'scheduled'];
const HOLDING: readonly MeetingStatus[] = [...OPEN, 'held', 'no_show'];
export const ACCEPTED_OR_LATER: readonly MeetingStatus[] = ['accepted', 'scheduled', 'held', 'no_show'];

interface MeetingLog {
  readonly latest: Map<string, Meeting>;
  /** Every status a meeting's records showed: a later cancel does not hide that it was accepted. */
  readonly reached: Map<string, Set<MeetingStatus>>;
}

/** A meeting's time on one resource: a participant, or a table (table ids are per session). Half-open [start, end). */
interface Claim {
  readonly meetingId: string;
  readonly start: number;
  readonly end: number;
}

const COUNTS = [
  ...['requests', 'accepts', 'declines', 'unanswered', 'retried', 'lost', 'mismatched', 'duplicated'],
  ...['participantOverlaps', 'tableOverlaps', 'meetings', 'holding', 'records', 'undecodable'],
];

async function meetingLog(input: CheckInput, tally: Tally): Promise<MeetingLog> {
  const contract = { ...TOPICS.meetings, name: `${input.topicPrefix}${TOPICS.meetings.name}` };
  const log: MeetingLog = { latest: new Map(), reached: new Map() };
  await readLog(input.kafka, [contract.name], ({ message }) => {
    const decoded = decodeRecord(contract, message);
    if (decoded.kind === 'invalid' || decoded.kind === 'newer') tally.add('undecodable');
    // Keyed by meetingId: partition order is each meeting's order.
    if (decoded.kind === 'tombstone') log.latest.delete(decoded.key);
    if (decoded.kind !== 'event' || decoded.event.eventId !== input.expoId) return;
    tally.add('records');
    const meeting = decoded.event.data;
    log.latest.set(meeting.meetingId, meeting);
    log.reached.set(meeting.meetingId, (log.reached.get(meeting.meetingId) ?? new Set()).add(meeting.status));
  });
  return log;
}

function claimsByResource(log: MeetingLog, tally: Tally): Map<string, Claim[]> {
  const byResource = new Map<string, Claim[]>();
  const claim = (resource: string, c: Claim) => byResource.set(resource, [...(byResource.get(resource) ?? []), c]);
  for (const m of log.latest.values()) {
    if (!m.slot || !HOLDING.includes(m.status)) continue;
    tally.add('holding');
    const c = { meetingId: m.meetingId, start: Date.parse(m.slot.start), end: Date.parse(m.slot.end) };
    claim(`participant ${m.buyerId}`, c);
    if (m.exhibitorId !== m.buyerId) claim(`participant ${m.exhibitorId}`, c);
    if (m.tableId && m.sessionId) claim(`table ${m.tableId} of session ${m.sessionId}`, c);
  }
  return byResource;
}

/**
 * Promise 11 (docs/promises.md): no participant and no table holds two overlapping meetings (each
 * overlapping pair counts once).
 */
function checkOverlaps(log: MeetingLog, tally: Tally): void {
  for (const [resource, claims] of claimsByResource(log, tally)) {
    const sorted = [...claims].sort((a, b) => a.start - b.start);
    const count = resource.startsWith('table') ? 'tableOverlaps' : 'participantOverlaps';
    sorted.forEach((c, i) => {
      for (const other of sorted.slice(i + 1)) {
        if (other.start >= c.end) break;
        tally.problem(count, `${resource} holds ${c.meetingId} and ${other.meetingId} at once (${new Date(other.start).toISOString()})`);
      }
    });
  }
}

/** Matchmaking refuses a request while the pair has an open meeting: two open ones are one request made twice. */
function checkOnePerPair(log: MeetingLog, tally: Tally): void {
  const open = new Map<string, string[]>();
  for (const m of log.latest.values()) {
    const pair = `${m.buyerId}|${m.exhibitorId}`;
    if (OPEN.includes(m.status)) open.set(pair, [...(open.get(pair) ?? []), m.meetingId]);
  }
  for (const [pair, ids] of open) {
    if (ids.length > 1) tally.problem('duplicated', `pair ${pair} has ${ids.length} open meetings: ${ids.sort().join(', ')}`);
  }
}

function checkAnswer(answer: MeetingAnswer, log: MeetingLog, tally: Tally): void {
  if (answer.attempts > 1) tally.add('retried');
  const reached = answer.meetingId === null ? undefined : log.reached.get(answer.meetingId);
  const what = `${answer.kind} of meeting ${answer.meetingId ?? '(not named)'}`;
  if (answer.kind === 'request' && answer.status === 201) {
    tally.add('requests');
    if (!reached) tally.problem('lost', `${what} answered 201 has no record`);
  } else if (answer.kind !== 'request' && answer.status === 200) {
    tally.add(answer.kind === 'accept' ? 'accepts' : 'declines');
    const ok = answer.kind === 'accept' ? ACCEPTED_OR_LATER.some((s) => reached?.has(s)) : reached?.has('declined');
    if (!ok) tally.problem('mismatched', `${what} answered 200 but its records show ${reached ? [...reached].join(', ') : 'nothing'}`);
  } else if (answer.status === null || answer.status >= 500) tally.add('unanswered');
}

/**
 * Matchmaking held to the log (the latest record per meeting): no participant or table holds two
 * overlapping meetings, no pair two open ones; every request answered 201 is logged, every accept
 * (decline) answered 200 shows the meeting accepted or later (declined). Checked: journal answers.
 */
export async function checkMeetings(input: CheckInput): Promise<CheckResult> {
  const tally = new Tally(COUNTS);
  const log = await meetingLog(input, tally);
  tally.add('meetings', log.latest.size);
  checkOverlaps(log, tally);
  checkOnePerPair(log, tally);
  for (const answer of input.journal.meetings) checkAnswer(answer, log, tally);
  return tally.result('meetings', input.journal.meetings.length);
}
