import { describe, expect, it } from 'vitest';
import { DelegationRegistered, DelegationUpdated } from '../../src/events/delegations.ts';
import { delegation, exampleRecord } from '../examples.ts';

describe('delegation events', () => {
  it('accept a delegation with sub-groups', () => {
    expect(DelegationRegistered.envelope.parse(exampleRecord(DelegationRegistered)).data.subGroups).toHaveLength(1);
    expect(DelegationUpdated.data.safeParse(delegation({ kind: 'industry', origin: undefined })).success).toBe(true);
  });

  it.each([
    ['an unknown kind', { kind: 'private' }],
    ['a sub-group without interests', { subGroups: [{ subGroupId: 's', name: 'n', interests: [] }] }],
    ['an unknown budget band', { subGroups: [{ subGroupId: 's', name: 'n', interests: ['auto'], budgetBand: 'huge' }] }],
  ])('reject %s', (_what, change) => {
    expect(DelegationRegistered.data.safeParse({ ...delegation(), ...change }).success).toBe(false);
  });
});
