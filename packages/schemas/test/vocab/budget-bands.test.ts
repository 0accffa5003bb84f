import { describe, expect, it } from 'vitest';
import { BUDGET_BANDS, BudgetBand, budgetBandOf } from '../../src/vocab/budget-bands.ts';

describe('budget bands', () => {
  it('cover all amounts without gaps, in ascending order', () => {
    expect(BUDGET_BANDS[0]?.minUsd).toBe(0);
    BUDGET_BANDS.slice(1).forEach((band, i) => expect(band.minUsd).toBe(BUDGET_BANDS[i]?.maxUsd));
    expect(BUDGET_BANDS.at(-1)?.maxUsd).toBeNull();
  });

  it('file an amount in its band, the upper bound exclusive', () => {
    expect(budgetBandOf(0)).toBe('under_100k');
    expect(budgetBandOf(99_999)).toBe('under_100k');
    expect(budgetBandOf(100_000)).toBe('100k_1m');
    expect(budgetBandOf(2_500_000)).toBe('1m_10m');
    expect(budgetBandOf(10_000_000)).toBe('over_10m');
    expect(BudgetBand.safeParse('1m-10m').success).toBe(false);
  });
});
