import { describe, expect, it } from 'vitest';
import { AttendeeCancelled, AttendeeRegistered, AttendeeUpdated } from '../../src/events/attendees.ts';
import { attendee, cancelledAttendee, exampleRecord } from '../examples.ts';

describe('attendee events', () => {
  it('accept a full snapshot with what changed', () => {
    expect(AttendeeRegistered.envelope.parse(exampleRecord(AttendeeRegistered)).data.attendeeId).toBe('att-1');
    expect(AttendeeUpdated.data.safeParse(attendee({ changed: ['email'] })).success).toBe(true);
    expect(AttendeeCancelled.data.safeParse(cancelledAttendee()).success).toBe(true);
  });

  it('accept an attendee without the optional fields', () => {
    const { nameLocal: _n, organisation: _o, delegationId: _d, subGroupId: _s, ...minimal } = attendee();
    expect(AttendeeRegistered.data.safeParse({ ...minimal, interests: [], days: [] }).success).toBe(true);
  });

  it('tie the status to the event type', () => {
    expect(AttendeeRegistered.data.safeParse(attendee({ status: 'cancelled' } as never)).success).toBe(false);
    expect(AttendeeCancelled.data.safeParse(attendee()).success).toBe(false);
    expect(AttendeeUpdated.data.safeParse({ ...cancelledAttendee(), changed: ['name'] }).success).toBe(true);
  });

  it.each([
    ['an unknown category', { category: 'visitor' }],
    ['a bad email', { email: 'not-an-email' }],
    ['an unassigned country', { country: 'XX' }],
    ['an unknown sector', { interests: ['food.caviar'] }],
    ['a day that is not a date', { days: ['2024-11-31'] }],
    ['a time without offset', { registeredAt: '2024-11-05T09:30:00' }],
    ['an empty id', { attendeeId: '' }],
  ])('reject %s', (_what, change) => {
    expect(AttendeeRegistered.data.safeParse({ ...attendee(), ...change }).success).toBe(false);
  });

  it('require changed', () => {
    const { changed: _c, ...withoutChanged } = attendee();
    expect(AttendeeUpdated.data.safeParse(withoutChanged).success).toBe(false);
  });

  it('reject a record of another type in the envelope', () => {
    const record = { ...exampleRecord(AttendeeRegistered), type: 'attendee.updated' };
    expect(AttendeeRegistered.envelope.safeParse(record).success).toBe(false);
  });
});
