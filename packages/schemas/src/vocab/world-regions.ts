import { z } from 'zod';
import { COUNTRY_CODES, type CountryCode } from './countries.ts';

/**
 * World regions after the UN M49 standard's regions, with the Americas split the way M49's
 * intermediate regions do (Latin America and the Caribbean / Northern America), because that is
 * how buyers state "preferred origin regions" and how the African products zone is defined.
 * M49 has no region for Antarctica and does not list Taiwan separately; we add `antarctica` for
 * AQ and put TW in Asia, so every ISO 3166-1 code has exactly one region.
 */
export const WORLD_REGIONS = [
  { code: 'africa', en: 'Africa', zh: '非洲' },
  { code: 'asia', en: 'Asia', zh: '亚洲' },
  { code: 'europe', en: 'Europe', zh: '欧洲' },
  { code: 'latin_america_caribbean', en: 'Latin America and the Caribbean', zh: '拉丁美洲和加勒比' },
  { code: 'northern_america', en: 'Northern America', zh: '北美洲' },
  { code: 'oceania', en: 'Oceania', zh: '大洋洲' },
  { code: 'antarctica', en: 'Antarctica', zh: '南极洲' },
] as const;

export const WORLD_REGION_CODES = WORLD_REGIONS.map((r) => r.code);
export const WorldRegion = z.enum(WORLD_REGION_CODES);
export type WorldRegion = z.infer<typeof WorldRegion>;

/** Countries per region, grouped by M49 sub-region (one line each) so the list can be reviewed. */
export const COUNTRIES_BY_REGION = {
  africa: [
    ...['DZ', 'EG', 'LY', 'MA', 'SD', 'TN', 'EH'],
    ...['IO', 'BI', 'KM', 'DJ', 'ER', 'ET', 'TF', 'KE', 'MG', 'MW', 'MU', 'YT', 'MZ', 'RE', 'RW', 'SC', 'SO', 'SS', 'UG', 'TZ', 'ZM', 'ZW'],
    ...['AO', 'CM', 'CF', 'TD', 'CG', 'CD', 'GQ', 'GA', 'ST'],
    ...['BW', 'SZ', 'LS', 'NA', 'ZA'],
    ...['BJ', 'BF', 'CV', 'CI', 'GM', 'GH', 'GN', 'GW', 'LR', 'ML', 'MR', 'NE', 'NG', 'SH', 'SN', 'SL', 'TG'],
  ],
  asia: [
    ...['KZ', 'KG', 'TJ', 'TM', 'UZ'],
    ...['CN', 'HK', 'MO', 'TW', 'KP', 'JP', 'MN', 'KR'],
    ...['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'TL', 'VN'],
    ...['AF', 'BD', 'BT', 'IN', 'IR', 'MV', 'NP', 'PK', 'LK'],
    ...['AM', 'AZ', 'BH', 'CY', 'GE', 'IQ', 'IL', 'JO', 'KW', 'LB', 'OM', 'QA', 'SA', 'PS', 'SY', 'TR', 'AE', 'YE'],
  ],
  europe: [
    ...['BY', 'BG', 'CZ', 'HU', 'PL', 'MD', 'RO', 'RU', 'SK', 'UA'],
    ...['AX', 'DK', 'EE', 'FO', 'FI', 'GG', 'IS', 'IE', 'IM', 'JE', 'LV', 'LT', 'NO', 'SJ', 'SE', 'GB'],
    ...['AL', 'AD', 'BA', 'HR', 'GI', 'GR', 'VA', 'IT', 'MT', 'ME', 'MK', 'PT', 'SM', 'RS', 'SI', 'ES'],
    ...['AT', 'BE', 'FR', 'DE', 'LI', 'LU', 'MC', 'NL', 'CH'],
  ],
  latin_america_caribbean: [
    ...['AI', 'AG', 'AW', 'BS', 'BB', 'BQ', 'VG', 'KY', 'CU', 'CW', 'DM', 'DO', 'GD', 'GP', 'HT', 'JM', 'MQ', 'MS'],
    ...['PR', 'BL', 'KN', 'LC', 'MF', 'VC', 'SX', 'TT', 'TC', 'VI'],
    ...['BZ', 'CR', 'SV', 'GT', 'HN', 'MX', 'NI', 'PA'],
    ...['AR', 'BO', 'BV', 'BR', 'CL', 'CO', 'EC', 'FK', 'GF', 'GY', 'PY', 'PE', 'GS', 'SR', 'UY', 'VE'],
  ],
  northern_america: ['BM', 'CA', 'GL', 'PM', 'US'],
  oceania: [
    ...['AU', 'CX', 'CC', 'HM', 'NZ', 'NF'],
    ...['FJ', 'NC', 'PG', 'SB', 'VU'],
    ...['GU', 'KI', 'MH', 'FM', 'NR', 'MP', 'PW', 'UM'],
    ...['AS', 'CK', 'PF', 'NU', 'PN', 'WS', 'TK', 'TO', 'TV', 'WF'],
  ],
  antarctica: ['AQ'],
} as const satisfies Record<WorldRegion, readonly CountryCode[]>;

const REGION_OF: ReadonlyMap<CountryCode, WorldRegion> = new Map(
  Object.entries(COUNTRIES_BY_REGION).flatMap(([region, codes]) => codes.map((code): [CountryCode, WorldRegion] => [code, region as WorldRegion])),
);

export function worldRegionOf(country: CountryCode): WorldRegion {
  const region = REGION_OF.get(country);
  if (region === undefined) throw new Error(`no world region for ${country}`);
  return region;
}

/** Every assigned country code with its region, in ISO order (a table for exports and UIs). */
export function countriesWithRegions(): Array<{ country: CountryCode; region: WorldRegion }> {
  return COUNTRY_CODES.map((country) => ({ country, region: worldRegionOf(country) }));
}
