import { describe, expect, it } from 'vitest';
import type { Meeting } from '@expo/schemas';
import { advance, mayAct, TRANSITIONS } from '../../../src/domain/meetings/lifecycle.ts';

const meeting: Meeting = {
  meetingId: 'm1',
  buyerId: 'b1',
  exhibitorId: 'e1',
  requestedBy: 'buyer',
  status: 'requested',
  requestedAt: '2024-11-01T00:00:00.000Z',
  updatedAt: '2024-11-01T00:00:00.000Z',
};

describe('meeting lifecycle', () => {
  it('lets only the invited side answer, either side cancel, admin everything', () => {
    expect(mayAct('exhibitor', 'accept', meeting)).toBe(true);
    expect(mayAct('buyer', 'accept', meeting)).toBe(false);
    expect(mayAct('buyer', 'cancel', meeting)).toBe(true);
    expect(mayAct('buyer', 'accept', { requestedBy: 'organiser' })).toBe(true);
    expect(mayAct(null, 'cancel', meeting)).toBe(false);
    expect(mayAct('exhibitor', 'expire', meeting)).toBe(false);
    expect(mayAct('admin', 'schedule', meeting)).toBe(true);
  });

  it('follows the vocabulary: held and no_show only from scheduled', () => {
    expect(TRANSITIONS.held.from).toEqual(['scheduled']);
    expect(TRANSITIONS.accept).toEqual({ from: ['requested'], to: 'accepted' });
  });

  it('names exactly the fields that changed', () => {
    const next = advance(meeting, 'accept', new Date('2024-11-02T00:00:00Z'));
    expect(next.meeting).toMatchObject({ status: 'accepted', updatedAt: '2024-11-02T00:00:00.000Z' });
    expect(next.changed.sort()).toEqual(['status', 'updatedAt']);
  });
});
