import { describe, expect, it } from 'vitest';
import { bucketStart, ExpoCalendar } from '../../src/domain/time.ts';

describe('ExpoCalendar', () => {
  const shanghai = new ExpoCalendar('Asia/Shanghai');

  it("places an instant on the venue's local day", () => {
    expect(shanghai.dayOf(Date.parse('2024-11-04T16:30:00Z'))).toBe('2024-11-05');
    expect(shanghai.dayOf(Date.parse('2024-11-05T15:59:59Z'))).toBe('2024-11-05');
    expect(shanghai.dayOf(Date.parse('2024-11-05T16:00:00Z'))).toBe('2024-11-06');
  });

  it('knows where a local day starts and which days a range touches', () => {
    expect(new Date(shanghai.dayStart('2024-11-05')).toISOString()).toBe('2024-11-04T16:00:00.000Z');
    expect(shanghai.daysBetween(Date.parse('2024-11-04T15:00:00Z'), Date.parse('2024-11-05T17:00:00Z'))).toEqual(['2024-11-04', '2024-11-05', '2024-11-06']);
  });

  it('floors instants to bucket starts', () => {
    const at = Date.parse('2024-11-05T02:37:42Z');
    expect(new Date(bucketStart(at, 1)).toISOString()).toBe('2024-11-05T02:37:00.000Z');
    expect(new Date(bucketStart(at, 5)).toISOString()).toBe('2024-11-05T02:35:00.000Z');
    expect(new Date(bucketStart(at, 60)).toISOString()).toBe('2024-11-05T02:00:00.000Z');
  });
});
