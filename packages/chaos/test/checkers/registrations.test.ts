import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopicEventInput } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import { createPlatformTopics, testNames } from '@expo/testkit';
import { checkRegistrations } from '../../src/checkers/registrations.ts';
import { journalOf, kafka, producer } from './fixture.ts';

type AttendeeInput = TopicEventInput<typeof TOPICS.attendees>;
const names = testNames('registrations');
const writer = producer('registration');
let topics: Awaited<ReturnType<typeof createPlatformTopics<['attendees']>>>;
beforeAll(async () => {
  topics = await createPlatformTopics(names, ['attendees'], { partitions: 2 });
});
afterAll(() => writer.disconnect());

const AT = '2024-11-05T09:30:00+08:00';

function attendee(expoId: string, attendeeId: string, email: string, status: 'active' | 'cancelled' = 'active'): AttendeeInput {
  const data = {
    attendeeId,
    category: 'buyer' as const,
    name: 'Li Wei',
    email,
    country: 'CN' as const,
    interests: [],
    days: [],
    badgeId: `bdg-${attendeeId}`,
    registeredAt: AT,
    changed: ['attendeeId'],
  };
  return status === 'active'
    ? { type: 'attendee.registered', eventId: expoId, data: { ...data, status } }
    : { type: 'attendee.cancelled', eventId: expoId, data: { ...data, status } };
}

const check = (expoId: string, journal: ReturnType<typeof journalOf>) => checkRegistrations({ kafka, topicPrefix: names.topicPrefix, expoId, journal });

describe('checkRegistrations', () => {
  it('passes a log where each e-mail has one active attendee and every answer is borne out', async () => {
    const expo = `${names.expoId}-ok`;
    await writer.send(topics.attendees, [
      attendee(expo, 'a1', 'li.wei@example.com'),
      // Cancelled, which frees the e-mail for a2.
      attendee(expo, 'a0', 'chen@example.com'),
      attendee(expo, 'a0', 'chen@example.com', 'cancelled'),
      attendee(expo, 'a2', 'Chen@Example.com'),
      // Another expo's attendee with the same e-mail as a1.
      attendee(`${names.expoId}-other`, 'x1', 'li.wei@example.com'),
    ]);
    const journal = journalOf({
      registrations: [
        { email: ' Li.Wei@Example.com', status: 201, attendeeId: 'a1', attempts: 2 },
        { email: 'li.wei@example.com', status: 409, attendeeId: 'a1' },
        { email: 'chen@example.com', status: 201, attendeeId: 'a2' },
        { email: 'nobody@example.com', status: null, attendeeId: null },
      ],
    });
    const result = await check(expo, journal);
    expect(result).toMatchObject({ name: 'registrations', ok: true, checked: 4, problems: [] });
    expect(result.counts).toMatchObject({
      answered: 2,
      conflicts: 1,
      unanswered: 1,
      retried: 1,
      reregistered: 1,
      attendees: 3,
      lost: 0,
      mismatched: 0,
      duplicated: 0,
      unfoundedConflict: 0,
    });
  });

  it('catches a lost registration, an e-mail registered twice, a record with another e-mail and a conflict with nobody', async () => {
    const expo = `${names.expoId}-bad`;
    await writer.send(topics.attendees, [
      attendee(expo, 'b1', 'twice@example.com'),
      attendee(expo, 'b2', 'TWICE@Example.com'),
      attendee(expo, 'b3', 'other@example.com'),
    ]);
    const journal = journalOf({
      registrations: [
        { email: 'lost@example.com', status: 201, attendeeId: 'b9' },
        { email: 'mine@example.com', status: 201, attendeeId: 'b3' },
        { email: 'mine@example.com', status: 409, attendeeId: 'b3' },
      ],
    });
    const result = await check(expo, journal);
    expect(result.ok).toBe(false);
    expect(result.counts).toMatchObject({ lost: 1, duplicated: 1, mismatched: 1, unfoundedConflict: 1, problems: 4 });
    expect(result.problems).toContain('duplicated: 2 active attendees share one e-mail: b1, b2');
  });
});
