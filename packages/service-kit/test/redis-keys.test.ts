import { describe, expect, it } from 'vitest';
import { expoKey, expoKeys } from '../src/index.ts';

describe('expo keys', () => {
  it('puts the expo in a hash tag so its keys share a cluster slot', () => {
    expect(expoKey('ciie-2024', 'scanning', 'zone', 'hall-1')).toBe('{ciie-2024}:scanning:zone:hall-1');
    expect(expoKeys('ciie-2024', 'scanning')('occupancy', 7)).toBe('{ciie-2024}:scanning:occupancy:7');
  });

  it('refuses braces that would move the hash tag', () => {
    expect(() => expoKey('ciie}{x', 'scanning')).toThrow(/braces/);
    expect(() => expoKey('ciie-2024', 'scanning', '{other}')).toThrow(/braces/);
    expect(() => expoKey('', 'scanning')).toThrow();
  });
});
