import { describe, expect, it } from 'vitest';
import { RegisterDelegationBody } from '../../../src/http/registration/delegations.ts';

describe('delegation registration over HTTP', () => {
  it('accepts sub-groups with or without ids and budget bands', () => {
    const body = {
      name: 'Central SOE procurement group',
      kind: 'industry',
      country: 'CN',
      subGroups: [{ name: 'Energy equipment', interests: ['tech.energy_low_carbon'], budgetBand: 'over_10m' }],
    };
    expect(RegisterDelegationBody.safeParse(body).success).toBe(true);
    expect(RegisterDelegationBody.safeParse({ ...body, subGroups: [{ name: 'x', interests: ['nope'] }] }).success).toBe(false);
  });
});
