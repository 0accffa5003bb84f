import { describe, expect, it } from 'vitest';
import { estimateWidthEm, fitText } from '../src/text-fit.ts';

describe('fitText', () => {
  it('counts Han characters a full em wide and Latin ones narrower', () => {
    expect(estimateWidthEm('王小明')).toBe(3);
    expect(estimateWidthEm('Wang')).toBeLessThan(3);
  });

  it('keeps short text at its size, shrinks long text, squeezes what even the smallest size cannot hold', () => {
    expect(fitText('Xiaoming Wang', 93, 9, 5)).toEqual({ size: 9, squeeze: false });
    const long = fitText('Alexandra Konstantinopoulou', 93, 9, 5);
    expect(long.size).toBeLessThan(9);
    expect(long.size).toBeGreaterThanOrEqual(5);
    expect(long.squeeze).toBe(false);
    expect(fitText('Wolfgang Amadeus Theophilus Maximilian von Habsburg-Lothringen', 93, 9, 5)).toEqual({ size: 5, squeeze: true });
  });
});
