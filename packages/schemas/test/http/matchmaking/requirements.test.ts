import { describe, expect, it } from 'vitest';
import { PurchaseRequirementBody } from '../../../src/http/matchmaking/requirements.ts';

describe('purchase requirements', () => {
  it('take sectors, keywords and optional quantity, budget and origins', () => {
    const body = {
      sectors: ['food.dairy'],
      keywords: ['milk powder', 'UHT'],
      quantity: '500 t per year',
      budgetBand: '1m_10m',
      originCountries: ['NZ', 'RW'],
      originRegions: ['africa', 'oceania'],
    };
    expect(PurchaseRequirementBody.parse(body)).toEqual(body);
    expect(PurchaseRequirementBody.safeParse({ sectors: ['food'], keywords: [] }).success).toBe(true);
  });

  it.each([
    ['no sector', { sectors: [] }],
    ['an unknown region', { originRegions: ['americas'] }],
    ['an unknown country', { originCountries: ['XX'] }],
  ])('reject %s', (_what, change) => {
    expect(PurchaseRequirementBody.safeParse({ sectors: ['food'], keywords: [], ...change }).success).toBe(false);
  });
});
