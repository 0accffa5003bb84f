import { describe, expect, it } from 'vitest';
import { dwellDistribution } from '../../src/domain/dwell.ts';

describe('dwellDistribution', () => {
  it('gives nearest-rank median and 90th percentile and fills every bin', () => {
    // 10 visits: 3 of 2 min, 4 of 20 min, 2 of 45 min, 1 of 300 min.
    const d = dwellDistribution(
      new Map([
        [2, 3],
        [20, 4],
        [45, 2],
        [300, 1],
      ]),
    );
    expect(d.visits).toBe(10);
    expect(d.medianMinutes).toBe(20);
    expect(d.p90Minutes).toBe(45);
    expect(d.bins).toEqual([
      { fromMinutes: 0, toMinutes: 5, visits: 3 },
      { fromMinutes: 5, toMinutes: 15, visits: 0 },
      { fromMinutes: 15, toMinutes: 30, visits: 4 },
      { fromMinutes: 30, toMinutes: 60, visits: 2 },
      { fromMinutes: 60, toMinutes: 120, visits: 0 },
      { fromMinutes: 120, toMinutes: 240, visits: 0 },
      { fromMinutes: 240, toMinutes: null, visits: 1 },
    ]);
  });

  it('has no percentiles without visits', () => {
    expect(dwellDistribution(new Map())).toMatchObject({ visits: 0, medianMinutes: null, p90Minutes: null });
  });
});
