import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES } from '../../src/vocab/countries.ts';
import { COUNTRIES_BY_REGION, countriesWithRegions, WORLD_REGIONS, WorldRegion, worldRegionOf } from '../../src/vocab/world-regions.ts';

describe('world regions', () => {
  it('give every assigned country exactly one region', () => {
    const listed = Object.values(COUNTRIES_BY_REGION).flat();
    expect(listed).toHaveLength(COUNTRY_CODES.length);
    expect(new Set(listed)).toEqual(new Set(COUNTRY_CODES));
    expect(countriesWithRegions().map((c) => c.country)).toEqual([...COUNTRY_CODES]);
    expect(countriesWithRegions().every((c) => WorldRegion.safeParse(c.region).success)).toBe(true);
  });

  it.each([
    ['CN', 'asia'],
    ['RW', 'africa'],
    ['EG', 'africa'],
    ['DE', 'europe'],
    ['RU', 'europe'],
    ['BR', 'latin_america_caribbean'],
    ['MX', 'latin_america_caribbean'],
    ['US', 'northern_america'],
    ['AU', 'oceania'],
    ['TR', 'asia'],
    ['AQ', 'antarctica'],
  ] as const)('put %s in %s', (country, region) => {
    expect(worldRegionOf(country)).toBe(region);
  });

  it('have both labels', () => {
    for (const r of WORLD_REGIONS) expect(r.zh).toMatch(/\p{Script=Han}/u);
    expect(WorldRegion.safeParse('americas').success).toBe(false);
  });
});
