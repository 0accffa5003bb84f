import { describe, expect, it } from 'vitest';
import { ScanDirection } from '../../src/vocab/scan-directions.ts';

describe('scan directions', () => {
  it('are in and out only', () => {
    expect(ScanDirection.options).toEqual(['in', 'out']);
    expect(ScanDirection.safeParse('IN').success).toBe(false);
  });
});
