import { describe, expect, it } from 'vitest';
import { ChangedFields, Id, IsoDate, UsdAmount } from '../src/primitives.ts';

describe('primitives', () => {
  it('keep ids non-empty, bounded and safe in URLs and Redis keys', () => {
    for (const id of ['att-1', 'unverified:6c7f3b1e-2d4a', 'hall_7.1', '0b4c8f0e-9a3d-4c1e-8f5a-3e2d1c0b9a87']) {
      expect(Id.safeParse(id).success).toBe(true);
    }
    for (const id of ['', 'a'.repeat(129), '{ciie}', 'a b', 'a/b', '李']) expect(Id.safeParse(id).success).toBe(false);
  });

  it('accept real calendar days only', () => {
    expect(IsoDate.safeParse('2024-02-29').success).toBe(true);
    expect(IsoDate.safeParse('2023-02-29').success).toBe(false);
    expect(IsoDate.safeParse('2024-11-05T00:00:00Z').success).toBe(false);
  });

  it('bound the rest', () => {
    expect(UsdAmount.safeParse(Number.POSITIVE_INFINITY).success).toBe(false);
    expect(UsdAmount.safeParse(-0.01).success).toBe(false);
    expect(ChangedFields.safeParse([]).success).toBe(true);
    expect(ChangedFields.safeParse(['']).success).toBe(false);
  });
});
