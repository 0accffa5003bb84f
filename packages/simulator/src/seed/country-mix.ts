import { COUNTRIES_BY_REGION, COUNTRY_CODES, LEAST_DEVELOPED_COUNTRIES, type CountryCode } from '@expo/schemas';
import type { Random } from '../random.ts';

/**
 * Where CIIE exhibitors come from, heaviest first (weights are relative exhibitor counts, after
 * the shape of recent editions: Japan, the US, Germany, Korea, France and Italy lead).
 */
const EXHIBITOR_WEIGHTS: ReadonlyArray<readonly [CountryCode, number]> = [
  ['JP', 300],
  ['US', 190],
  ['DE', 170],
  ['KR', 150],
  ['FR', 130],
  ['IT', 120],
  ['HK', 110],
  ['AU', 90],
  ['GB', 80],
  ['CH', 70],
  ['TW', 60],
  ['MY', 60],
  ['TH', 60],
  ['SG', 55],
  ['NL', 50],
  ['ES', 45],
  ['NZ', 45],
  ['CA', 40],
  ['BR', 35],
  ['RU', 35],
  ['IN', 35],
  ['ID', 35],
  ['VN', 35],
  ['BE', 30],
  ['SE', 30],
  ['DK', 25],
  ['AT', 25],
  ['IE', 20],
  ['IL', 20],
  ['CL', 20],
  ['AR', 20],
  ['PE', 18],
  ['ZA', 18],
  ['TR', 18],
  ['AE', 18],
  ['PT', 15],
  ['GR', 15],
  ['PL', 15],
  ['HU', 15],
  ['CZ', 12],
  ['KZ', 12],
  ['PH', 12],
  ['PK', 12],
  ['LK', 10],
  ['EG', 10],
  ['KE', 10],
  ['NG', 8],
  ['MX', 10],
  ['FI', 10],
  ['NO', 10],
  ['SA', 10],
  ['UZ', 8],
  ['MN', 6],
  ['MO', 8],
  ['CN', 40],
];

const AFRICA: ReadonlySet<string> = new Set(COUNTRIES_BY_REGION.africa);

/**
 * Exactly `count` exhibiting countries with a weight each: the heavy list first, then LDCs (CIIE
 * gives their companies free booths) and other countries with a few exhibitors each.
 */
export function exhibitorCountries(random: Random, count: number): Array<readonly [CountryCode, number]> {
  const chosen = new Map<CountryCode, number>();
  const heavy = count >= EXHIBITOR_WEIGHTS.length ? EXHIBITOR_WEIGHTS : EXHIBITOR_WEIGHTS.slice(0, Math.ceil(count * 0.75));
  for (const [country, weight] of heavy) chosen.set(country, weight);
  const ldcs = random.shuffle(LEAST_DEVELOPED_COUNTRIES).slice(0, Math.min(30, Math.ceil(count * 0.2)));
  for (const country of ldcs) if (chosen.size < count) chosen.set(country, 3);
  const rest = random.shuffle(COUNTRY_CODES.filter((c) => !chosen.has(c) && c !== 'AQ'));
  for (const country of rest) {
    if (chosen.size >= count) break;
    chosen.set(country, AFRICA.has(country) ? 3 : 2);
  }
  return [...chosen.entries()].slice(0, count);
}

export function isAfrican(country: CountryCode): boolean {
  return AFRICA.has(country);
}

/** Visitors: mostly from China, then the neighbourhood and the big trading partners. */
export const VISITOR_WEIGHTS: ReadonlyArray<readonly [CountryCode, number]> = [
  ['CN', 820],
  ['HK', 25],
  ['TW', 8],
  ['MO', 4],
  ['JP', 12],
  ['KR', 12],
  ['US', 10],
  ['DE', 7],
  ['RU', 8],
  ['MY', 6],
  ['SG', 6],
  ['TH', 5],
  ['VN', 5],
  ['ID', 5],
  ['IN', 5],
  ['AU', 5],
  ['GB', 5],
  ['FR', 5],
  ['IT', 4],
  ['BR', 3],
  ['AE', 3],
  ['KZ', 3],
  ['PK', 3],
  ['ZA', 2],
  ['KE', 2],
  ['NG', 2],
  ['EG', 2],
  ['ET', 2],
  ['MX', 2],
  ['CL', 2],
  ['ES', 2],
  ['NL', 2],
  ['CH', 2],
  ['CA', 2],
  ['NZ', 2],
];

/** Journalists: the Chinese press and the large international agencies' countries. */
export const MEDIA_WEIGHTS: ReadonlyArray<readonly [CountryCode, number]> = [
  ['CN', 60],
  ['HK', 6],
  ['US', 6],
  ['GB', 5],
  ['FR', 4],
  ['DE', 4],
  ['JP', 4],
  ['RU', 3],
  ['SG', 2],
  ['BR', 2],
  ['ES', 2],
  ['KE', 2],
];
