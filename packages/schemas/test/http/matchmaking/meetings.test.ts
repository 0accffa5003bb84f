import { describe, expect, it } from 'vitest';
import { MeetingOutcomeBody, RequestMeetingBody } from '../../../src/http/matchmaking/meetings.ts';

describe('meetings over HTTP', () => {
  it('request a meeting with preferred slots', () => {
    const slot = { start: '2024-11-06T10:00:00+08:00', end: '2024-11-06T10:20:00+08:00' };
    expect(RequestMeetingBody.safeParse({ buyerId: 'sg-1', exhibitorId: 'exh-1', requestedBy: 'buyer', preferredSlots: [slot] }).success).toBe(true);
    expect(RequestMeetingBody.safeParse({ buyerId: 'sg-1', exhibitorId: 'exh-1', requestedBy: 'someone' }).success).toBe(false);
  });

  it('record an outcome, with a deal value only for a held meeting', () => {
    expect(MeetingOutcomeBody.safeParse({ held: true, intendedDealUsd: 1_000_000 }).success).toBe(true);
    expect(MeetingOutcomeBody.safeParse({ held: false }).success).toBe(true);
    expect(MeetingOutcomeBody.safeParse({ held: false, intendedDealUsd: 5 }).success).toBe(false);
  });
});
