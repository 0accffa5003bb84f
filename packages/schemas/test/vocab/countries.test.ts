import { describe, expect, it } from 'vitest';
import { COUNTRIES, COUNTRY_CODES, CountryCode, countryName, isCountryCode } from '../../src/vocab/countries.ts';

describe('ISO 3166-1 alpha-2 country codes', () => {
  it('are unique, upper case, in order, each with a name', () => {
    expect(new Set(COUNTRY_CODES).size).toBe(COUNTRY_CODES.length);
    expect(COUNTRY_CODES.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    expect([...COUNTRY_CODES].sort()).toEqual(COUNTRY_CODES);
    expect(COUNTRIES.every(([, name]) => name.length > 0)).toBe(true);
  });

  it.each(['CN', 'GB', 'US', 'RW', 'TW', 'HK', 'MO', 'SS', 'AQ'])('accept %s', (code) => {
    expect(CountryCode.safeParse(code).success).toBe(true);
    expect(isCountryCode(code)).toBe(true);
  });

  it.each(['XX', 'uk', 'UK', 'EU', 'XK', 'cn', 'CHN', '', 'C'])('reject %s', (code) => {
    expect(CountryCode.safeParse(code).success).toBe(false);
    expect(isCountryCode(code)).toBe(false);
  });

  it('name countries in English', () => {
    expect(countryName('CN')).toBe('China');
    expect(countryName('CI')).toBe("Côte d'Ivoire");
  });
});
