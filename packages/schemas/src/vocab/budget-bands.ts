import { z } from 'zod';

/**
 * Coarse purchase budgets in USD. Buyers state a band rather than a figure because exact budgets
 * are commercially sensitive; matchmaking only needs the order of magnitude. `maxUsd` is exclusive.
 */
export const BUDGET_BANDS = [
  { code: 'under_100k', en: 'Under USD 100,000', zh: '10万美元以下', minUsd: 0, maxUsd: 100_000 },
  { code: '100k_1m', en: 'USD 100,000 – 1 million', zh: '10万至100万美元', minUsd: 100_000, maxUsd: 1_000_000 },
  { code: '1m_10m', en: 'USD 1 – 10 million', zh: '100万至1000万美元', minUsd: 1_000_000, maxUsd: 10_000_000 },
  { code: 'over_10m', en: 'Over USD 10 million', zh: '1000万美元以上', minUsd: 10_000_000, maxUsd: null },
] as const;

export const BUDGET_BAND_CODES = BUDGET_BANDS.map((b) => b.code);
export const BudgetBand = z.enum(BUDGET_BAND_CODES);
export type BudgetBand = z.infer<typeof BudgetBand>;

/** The band an amount falls in, e.g. to file a meeting's intended deal value. */
export function budgetBandOf(usd: number): BudgetBand {
  const band = BUDGET_BANDS.find((b) => usd >= b.minUsd && (b.maxUsd === null || usd < b.maxUsd));
  if (!band) throw new Error(`no budget band for ${usd}`);
  return band.code;
}
