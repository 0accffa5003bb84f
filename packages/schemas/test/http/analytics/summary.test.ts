import { describe, expect, it } from 'vitest';
import { SummaryQuery, SummaryResponse } from '../../../src/http/analytics/summary.ts';
import { ATTENDEE_CATEGORY_CODES } from '../../../src/vocab/attendee-categories.ts';
import { MEETING_STATUSES } from '../../../src/vocab/meeting-statuses.ts';
import { REJECTION_REASONS } from '../../../src/vocab/scan-decisions.ts';

const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));

describe('GET /v1/summary', () => {
  const summary = {
    date: '2024-11-05',
    registrationsByCategory: zeros(ATTENDEE_CATEGORY_CODES),
    uniqueVisitors: 0,
    peakOccupancy: [{ zoneId: 'venue', peakOccupancy: 0, at: null }],
    scans: { accepted: 0, rejected: 0, rejectedByReason: zeros(REJECTION_REASONS) },
    meetingsByStatus: zeros(MEETING_STATUSES),
    intendedTurnoverUsd: 0,
    productDebuts: 0,
  };

  it('answers every category, reason and status', () => {
    expect(SummaryResponse.safeParse(summary).success).toBe(true);
    const { buyer: _b, ...missing } = summary.registrationsByCategory;
    expect(SummaryResponse.safeParse({ ...summary, registrationsByCategory: missing }).success).toBe(false);
  });

  it('takes an optional day', () => {
    expect(SummaryQuery.parse({})).toEqual({});
    expect(SummaryQuery.safeParse({ date: 'today' }).success).toBe(false);
  });
});
