import { describe, expect, it } from 'vitest';
import { FootfallQuery, FootfallResponse } from '../../../src/http/analytics/footfall.ts';

describe('GET /v1/footfall', () => {
  const query = { zoneId: 'hall-7-1', from: '2024-11-05T09:00:00+08:00', to: '2024-11-05T10:00:00+08:00' };

  it('reads the query string, 1-minute buckets by default', () => {
    expect(FootfallQuery.parse(query).bucket).toBe('1m');
    expect(FootfallQuery.parse({ ...query, bucket: '1h' }).bucket).toBe('1h');
  });

  it.each([
    ['an unknown bucket', { bucket: '15m' }],
    ['from after to', { from: query.to, to: query.from }],
    ['an offset turned into a space by a missing %2B', { from: '2024-11-05T09:00:00 08:00' }],
  ])('rejects %s', (_what, change) => {
    expect(FootfallQuery.safeParse({ ...query, ...change }).success).toBe(false);
  });

  it('answers buckets with in and out', () => {
    const buckets = [{ start: query.from, in: 10, out: 2, peakOccupancy: 8, uniqueVisitors: 11 }];
    expect(FootfallResponse.safeParse({ zoneId: 'hall-7-1', bucket: '1m', buckets }).success).toBe(true);
  });
});
