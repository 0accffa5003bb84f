import { describe, expect, it } from 'vitest';
import { MeetingHeld } from '../../src/events/meetings.ts';
import { TOPICS } from '../../src/topics.ts';
import { MeetingStatus } from '../../src/vocab/meeting-statuses.ts';
import { exampleRecord } from '../examples.ts';

describe('meeting statuses', () => {
  it('are each entered by the event type meeting.<status> on the meetings topic, and no other type is there', () => {
    const types = TOPICS.meetings.events.map((e) => e.type);
    expect([...types].sort()).toEqual(MeetingStatus.options.map((s) => `meeting.${s}`).sort());
  });

  it.each(['canceled', 'no-show', 'Held', 'done'])('a meeting in status %j is refused, on its status field', (status) => {
    const record = exampleRecord(MeetingHeld);
    const parsed = MeetingHeld.envelope.safeParse({ ...record, data: { ...record.data, status } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['data.status']);
  });
});
