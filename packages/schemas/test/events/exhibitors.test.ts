import { describe, expect, it } from 'vitest';
import { ExhibitorRegistered, ExhibitorUpdated } from '../../src/events/exhibitors.ts';
import { exampleRecord, exhibitor } from '../examples.ts';

describe('exhibitor events', () => {
  it('accept an exhibitor with products and flags', () => {
    const parsed = ExhibitorRegistered.envelope.parse(exampleRecord(ExhibitorRegistered));
    expect(parsed.data.products[0]?.debut).toBe(true);
    expect(ExhibitorUpdated.data.safeParse(exhibitor({ africanProductsZone: undefined, products: [] })).success).toBe(true);
  });

  it.each([
    ['no sectors', { sectors: [] }],
    ['a missing LDC flag', { leastDevelopedCountry: undefined }],
    ['a product without the debut flag', { products: [{ productId: 'p', name: 'x', sectors: ['food'] }] }],
    ['a product without sectors', { products: [{ productId: 'p', name: 'x', sectors: [], debut: false }] }],
    ['a lower-case country', { country: 'rw' }],
  ])('reject %s', (_what, change) => {
    expect(ExhibitorRegistered.data.safeParse({ ...exhibitor(), ...change }).success).toBe(false);
  });
});
