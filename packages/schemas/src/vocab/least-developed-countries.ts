import type { CountryCode } from './countries.ts';

/**
 * The UN list of least developed countries (UN-OHRLLS / CDP) as it stands after São Tomé and
 * Príncipe graduated on 13 December 2024: 44 countries. CIIE gives free booths to companies from
 * LDCs, so exhibitor registration and matchmaking priorities read this list.
 *
 * Graduations take effect on a fixed date, and an expo edition straddles it (CIIE runs in early
 * November; Bangladesh, Lao PDR and Nepal were scheduled by UNGA resolution 76/8 to graduate on
 * 24 November 2026), so the graduation dates are data too and `isLeastDevelopedCountry` takes the
 * day in question. Review this list after each CDP triennial review and UNGA decision.
 */
export const LEAST_DEVELOPED_COUNTRIES = [
  ...['AO', 'BJ', 'BF', 'BI', 'CF', 'TD', 'KM', 'CD', 'DJ', 'ER', 'ET', 'GM', 'GN', 'GW', 'LS', 'LR'],
  ...['MG', 'MW', 'ML', 'MR', 'MZ', 'NE', 'RW', 'SN', 'SL', 'SO', 'SS', 'SD', 'TG', 'UG', 'TZ', 'ZM'],
  ...['AF', 'BD', 'KH', 'LA', 'MM', 'NP', 'TL', 'YE'],
  ...['HT'],
  ...['KI', 'SB', 'TV'],
] as const satisfies readonly CountryCode[];

/** Scheduled graduations (first day a country is no longer an LDC), `YYYY-MM-DD`. */
export const LDC_GRADUATIONS: Readonly<Partial<Record<CountryCode, string>>> = {
  BD: '2026-11-24',
  LA: '2026-11-24',
  NP: '2026-11-24',
};

const LDC_SET: ReadonlySet<string> = new Set(LEAST_DEVELOPED_COUNTRIES);

/** Whether `country` is on the LDC list on `day` (`YYYY-MM-DD`, e.g. the expo's opening day). */
export function isLeastDevelopedCountry(country: CountryCode, day: string): boolean {
  if (!LDC_SET.has(country)) return false;
  const graduation = LDC_GRADUATIONS[country];
  return graduation === undefined || day < graduation;
}
