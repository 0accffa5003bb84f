import { describe, expect, it } from 'vitest';
import { DwellQuery, DwellResponse } from '../../../src/http/analytics/dwell.ts';

describe('GET /v1/dwell', () => {
  it('takes a zone and a day and answers a distribution', () => {
    expect(DwellQuery.safeParse({ zoneId: 'hall-7-1', date: '2024-11-05' }).success).toBe(true);
    const answer = {
      zoneId: 'hall-7-1',
      date: '2024-11-05',
      visits: 3,
      medianMinutes: 42,
      p90Minutes: 95,
      bins: [
        { fromMinutes: 0, toMinutes: 30, visits: 1 },
        { fromMinutes: 30, toMinutes: null, visits: 2 },
      ],
    };
    expect(DwellResponse.safeParse(answer).success).toBe(true);
  });
});
