import { fakerDE, fakerEN, fakerES, fakerFR, fakerIT, fakerPT_BR, type Faker } from '@faker-js/faker';
import type { CountryCode } from '@expo/schemas';
import type { Random } from '../random.ts';
import { chineseCompanyName, chineseName } from './chinese-names.ts';

const HAN_SCRIPT: ReadonlySet<string> = new Set(['CN', 'HK', 'MO', 'TW']);

// Locales whose names are written in Latin script, so they can stand in the badge's Latin name.
const LATIN_LOCALES: ReadonlyArray<readonly [readonly string[], Faker]> = [
  [['DE', 'AT', 'CH', 'LI'], fakerDE],
  [['FR', 'BE', 'LU', 'MC', 'SN', 'CI', 'CM', 'MA', 'TN'], fakerFR],
  [['ES', 'MX', 'AR', 'CL', 'CO', 'PE', 'EC', 'UY', 'VE', 'CU'], fakerES],
  [['IT', 'SM', 'VA'], fakerIT],
  [['BR', 'PT', 'AO', 'MZ'], fakerPT_BR],
];
const LOCALE_BY_COUNTRY = new Map(LATIN_LOCALES.flatMap(([codes, faker]) => codes.map((c) => [c, faker] as const)));

/**
 * Seeds every faker locale from the plan's generator. Call it once before a part of the plan:
 * faker's draws then follow from the seed (seeding per name would cost seconds at CIIE size).
 */
export function seedFakers(random: Random): void {
  for (const faker of [fakerEN, ...LATIN_LOCALES.map(([, f]) => f)]) faker.seed(random.int(0, 2 ** 31 - 1));
}

export function personName(random: Random, country: CountryCode): { name: string; nameLocal?: string } {
  if (HAN_SCRIPT.has(country)) return chineseName(random);
  const faker = LOCALE_BY_COUNTRY.get(country) ?? fakerEN;
  return { name: `${faker.person.firstName()} ${faker.person.lastName()}`.slice(0, 200) };
}

/** A company name in Latin script, e.g. "Hartmann Schulz GmbH" or "Pacific Harvest Ltd". */
export function companyName(random: Random, country: CountryCode): string {
  if (HAN_SCRIPT.has(country)) return chineseCompanyName(random);
  const faker = LOCALE_BY_COUNTRY.get(country) ?? fakerEN;
  return faker.company.name().slice(0, 200);
}
