import { describe, expect, it } from 'vitest';
import { isCountryCode } from '../../src/vocab/countries.ts';
import { isLeastDevelopedCountry, LDC_GRADUATIONS, LEAST_DEVELOPED_COUNTRIES } from '../../src/vocab/least-developed-countries.ts';
import { worldRegionOf } from '../../src/vocab/world-regions.ts';

describe('least developed countries', () => {
  it('are distinct assigned country codes', () => {
    expect(new Set(LEAST_DEVELOPED_COUNTRIES).size).toBe(LEAST_DEVELOPED_COUNTRIES.length);
    expect(LEAST_DEVELOPED_COUNTRIES.every(isCountryCode)).toBe(true);
    expect(Object.keys(LDC_GRADUATIONS).every((c) => (LEAST_DEVELOPED_COUNTRIES as readonly string[]).includes(c))).toBe(true);
  });

  it('lie in Africa, Asia, the Caribbean and the Pacific, most in Africa', () => {
    const regions = LEAST_DEVELOPED_COUNTRIES.map(worldRegionOf);
    expect(new Set(regions)).toEqual(new Set(['africa', 'asia', 'latin_america_caribbean', 'oceania']));
    expect(regions.filter((r) => r === 'africa').length).toBeGreaterThan(regions.length / 2);
  });

  it('leave out countries that graduated before the list date', () => {
    for (const graduated of ['BW', 'CV', 'MV', 'WS', 'GQ', 'VU', 'BT', 'ST'] as const) {
      expect(isLeastDevelopedCountry(graduated, '2024-11-05')).toBe(false);
    }
  });

  it('follow a scheduled graduation on its day', () => {
    expect(isLeastDevelopedCountry('BD', '2026-11-05')).toBe(true);
    expect(isLeastDevelopedCountry('BD', '2026-11-24')).toBe(false);
    expect(isLeastDevelopedCountry('RW', '2030-01-01')).toBe(true);
    expect(isLeastDevelopedCountry('CN', '2024-11-05')).toBe(false);
  });
});
