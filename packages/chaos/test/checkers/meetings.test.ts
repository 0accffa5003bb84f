import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopicEventInput } from '@expo/bus';
import type { MeetingStatus, TOPICS } from '@expo/schemas';
import { createPlatformTopics, testNames } from '@expo/testkit';
import { checkMeetings } from '../../src/checkers/meetings.ts';
import { journalOf, kafka, producer } from './fixture.ts';

type MeetingInput = TopicEventInput<typeof TOPICS.meetings>;
const names = testNames('meetings');
const writer = producer('matchmaking');
let topics: Awaited<ReturnType<typeof createPlatformTopics<['meetings']>>>;
beforeAll(async () => {
  topics = await createPlatformTopics(names, ['meetings'], { partitions: 2 });
});
afterAll(() => writer.disconnect());

const AT = '2024-11-05T08:00:00+08:00';
const slot = (from: string, to: string) => ({ start: `2024-11-05T${from}:00+08:00`, end: `2024-11-05T${to}:00+08:00` });

interface Place {
  slot?: { start: string; end: string };
  sessionId?: string;
  tableId?: string;
}

function meeting(expoId: string, meetingId: string, status: MeetingStatus, parties: [string, string], place: Place = {}): MeetingInput {
  const data = {
    meetingId,
    buyerId: parties[0],
    exhibitorId: parties[1],
    requestedBy: 'buyer' as const,
    requestedAt: AT,
    updatedAt: AT,
    changed: ['status'],
    ...place,
  };
  return { type: `meeting.${status}`, eventId: expoId, data: { ...data, status } } as MeetingInput;
}

const scheduled = (expo: string, id: string, parties: [string, string], table: string, from: string, to: string, session = 'sess-1') =>
  meeting(expo, id, 'scheduled', parties, { slot: slot(from, to), sessionId: session, tableId: table });

const check = (expoId: string, journal: ReturnType<typeof journalOf>) => checkMeetings({ kafka, topicPrefix: names.topicPrefix, expoId, journal });

describe('checkMeetings', () => {
  it('passes a log without double bookings where every answer is borne out', async () => {
    const expo = `${names.expoId}-ok`;
    await writer.send(topics.meetings, [
      meeting(expo, 'm1', 'requested', ['buyer-1', 'exh-1']),
      meeting(expo, 'm1', 'accepted', ['buyer-1', 'exh-1']),
      scheduled(expo, 'm1', ['buyer-1', 'exh-1'], 'table-1', '10:00', '10:30'),
      // Back to back at the same table: half-open slots do not overlap.
      scheduled(expo, 'm2', ['buyer-2', 'exh-2'], 'table-1', '10:30', '11:00'),
      // Same table id in another session, same time: another table.
      scheduled(expo, 'm3', ['buyer-3', 'exh-3'], 'table-1', '10:00', '10:30', 'sess-2'),
      // Declined with an overlapping proposed slot: holds nothing.
      meeting(expo, 'm4', 'requested', ['buyer-1', 'exh-4'], { slot: slot('10:15', '10:45') }),
      meeting(expo, 'm4', 'declined', ['buyer-1', 'exh-4'], { slot: slot('10:15', '10:45') }),
      // Accepted, then cancelled: it was accepted.
      meeting(expo, 'm5', 'accepted', ['buyer-5', 'exh-5']),
      meeting(expo, 'm5', 'cancelled', ['buyer-5', 'exh-5']),
      // Another expo's meeting at m1's table and time.
      scheduled(`${names.expoId}-other`, 'x1', ['buyer-1', 'exh-1'], 'table-1', '10:00', '10:30'),
    ]);
    const journal = journalOf({
      meetings: [
        { kind: 'request', meetingId: 'm1', status: 201, attempts: 3 },
        { kind: 'accept', meetingId: 'm1', status: 200 },
        { kind: 'decline', meetingId: 'm4', status: 200 },
        { kind: 'accept', meetingId: 'm5', status: 200 },
        { kind: 'request', meetingId: null, status: null },
      ],
    });
    const result = await check(expo, journal);
    expect(result).toMatchObject({ name: 'meetings', ok: true, checked: 5, problems: [] });
    expect(result.counts).toMatchObject({ requests: 1, accepts: 2, declines: 1, unanswered: 1, retried: 1, meetings: 5, holding: 3, problems: 0 });
  });

  it('catches a participant and a table double booked, a lost request, an accept not logged and a pair met twice', async () => {
    const expo = `${names.expoId}-bad`;
    await writer.send(topics.meetings, [
      scheduled(expo, 'p1', ['buyer-1', 'exh-1'], 'table-1', '10:00', '10:30'),
      meeting(expo, 'p2', 'requested', ['buyer-1', 'exh-2'], { slot: slot('10:15', '10:45') }),
      scheduled(expo, 't1', ['buyer-3', 'exh-3'], 'table-9', '14:00', '15:00'),
      scheduled(expo, 't2', ['buyer-4', 'exh-4'], 'table-9', '14:30', '14:45'),
      meeting(expo, 'unaccepted', 'requested', ['buyer-5', 'exh-5']),
      meeting(expo, 'again', 'requested', ['buyer-5', 'exh-5']),
    ]);
    const journal = journalOf({
      meetings: [
        { kind: 'request', meetingId: 'lost', status: 201 },
        { kind: 'accept', meetingId: 'unaccepted', status: 200 },
      ],
    });
    const result = await check(expo, journal);
    expect(result.ok).toBe(false);
    expect(result.counts).toMatchObject({ participantOverlaps: 1, tableOverlaps: 1, lost: 1, mismatched: 1, duplicated: 1, problems: 5 });
    expect(result.problems).toContain('tableOverlaps: table table-9 of session sess-1 holds t1 and t2 at once (2024-11-05T06:30:00.000Z)');
  });
});
