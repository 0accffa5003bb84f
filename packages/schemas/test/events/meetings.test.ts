import { describe, expect, it } from 'vitest';
import { MEETING_EVENTS, MeetingHeld, MeetingRequested, MeetingScheduled } from '../../src/events/meetings.ts';
import { MEETING_STATUSES } from '../../src/vocab/meeting-statuses.ts';
import { exampleRecord, meeting } from '../examples.ts';

describe('meeting events', () => {
  it('have one event type per status, each requiring its own status', () => {
    expect(MEETING_EVENTS.map((e) => e.type)).toEqual(MEETING_STATUSES.map((s) => `meeting.${s}`));
    for (const definition of MEETING_EVENTS) {
      expect(definition.envelope.safeParse(exampleRecord(definition)).success).toBe(true);
      const other = definition.type === 'meeting.held' ? 'no_show' : 'held';
      expect(definition.data.safeParse(meeting(other)).success).toBe(false);
    }
  });

  it('accept a request without slot, table or session', () => {
    const { slot: _s, tableId: _t, sessionId: _x, score: _c, ...request } = meeting('requested');
    expect(MeetingRequested.data.safeParse(request).success).toBe(true);
  });

  it('require slot, table and session once scheduled', () => {
    const { tableId: _t, ...noTable } = meeting('scheduled');
    expect(MeetingScheduled.data.safeParse(noTable).success).toBe(false);
  });

  it('carry an intended deal value, never negative', () => {
    expect(MeetingHeld.data.safeParse({ ...meeting('held'), intendedDealUsd: 2_500_000 }).success).toBe(true);
    expect(MeetingHeld.data.safeParse({ ...meeting('held'), intendedDealUsd: -1 }).success).toBe(false);
  });

  it('reject a slot that ends before it starts', () => {
    const slot = { start: '2024-11-05T10:00:00+08:00', end: '2024-11-05T09:30:00+08:00' };
    expect(MeetingScheduled.data.safeParse({ ...meeting('scheduled'), slot }).success).toBe(false);
  });
});
