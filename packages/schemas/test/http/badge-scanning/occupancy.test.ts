import { describe, expect, it } from 'vitest';
import { OccupancyResponse } from '../../../src/http/badge-scanning/occupancy.ts';

describe('GET /v1/occupancy', () => {
  it('reports zones with or without a capacity, over capacity too', () => {
    const zones = [
      { zoneId: 'venue', name: 'NECC', occupancy: 40000, capacity: null, ratio: null },
      { zoneId: 'hall-7-1', name: 'Hall 7.1', occupancy: 5010, capacity: 5000, ratio: 1.002 },
    ];
    expect(OccupancyResponse.safeParse({ zones }).success).toBe(true);
  });
});
