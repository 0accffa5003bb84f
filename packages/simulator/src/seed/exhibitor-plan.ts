import { isLeastDevelopedCountry, SECTOR_AREAS, type CountryCode, type ProductInput, type SectorAreaCode, type SectorCode } from '@expo/schemas';
import type { Random } from '../random.ts';
import type { VenueZone } from '../venue/venue-types.ts';
import { exhibitorCountries, isAfrican } from './country-mix.ts';
import { companyName, seedFakers } from './person-names.ts';
import type { SeedSize } from './sizes.ts';

/** What `POST /v1/exhibitors` gets, with the plan's own key (the service assigns the id). */
export interface PlannedExhibitor {
  readonly key: string;
  readonly name: string;
  readonly country: CountryCode;
  readonly sectors: SectorCode[];
  readonly hall: string;
  /** The venue zone of the hall, where its staff work and its leads are scanned. */
  readonly hallZoneId: string;
  readonly booth: string;
  readonly fortuneGlobal500: boolean;
  readonly leastDevelopedCountry: boolean;
  readonly africanProductsZone: boolean;
  readonly products: ProductInput[];
}

const AREA_WEIGHTS: ReadonlyArray<readonly [SectorAreaCode, number]> = [
  ['food', 25],
  ['tech', 20],
  ['consumer', 20],
  ['medical', 15],
  ['services', 9],
  ['auto', 6],
  ['incubation', 5],
];

// Fortune Global 500 companies come from the large economies.
const FG500_COUNTRIES: ReadonlySet<string> = new Set([
  'US',
  'JP',
  'DE',
  'FR',
  'GB',
  'KR',
  'CH',
  'NL',
  'IT',
  'ES',
  'CA',
  'AU',
  'SE',
  'BE',
  'DK',
  'IE',
  'BR',
  'IN',
  'SG',
  'HK',
  'TW',
]);

const DEBUT_RATE = 0.04;

function categoriesOf(area: SectorAreaCode): SectorCode[] {
  return (SECTOR_AREAS.find((a) => a.code === area)?.categories ?? []).map((c) => c.code);
}

function productsOf(random: Random, brand: string, area: SectorAreaCode, categories: readonly SectorCode[]): ProductInput[] {
  const labels = new Map(SECTOR_AREAS.flatMap((a) => a.categories.map((c) => [c.code as string, c.en] as const)));
  return Array.from({ length: random.int(1, 4) }, (_, i) => {
    const category = random.pick(categories.length > 0 ? categories : [area]);
    return {
      name: `${brand} ${labels.get(category) ?? area} ${String.fromCharCode(65 + random.int(0, 25))}${random.int(1, 9)}${i}`.slice(0, 200),
      sectors: [category],
      debut: random.chance(DEBUT_RATE),
    };
  });
}

/** Exhibitors of a size: exact counts of countries, Fortune Global 500 and LDC companies. */
export function planExhibitors(random: Random, size: SeedSize, halls: readonly VenueZone[], openingDay: string): PlannedExhibitor[] {
  seedFakers(random);
  const countries = exhibitorCountries(random, size.exhibitorCountries);
  const fg500Eligible: number[] = [];
  const boothCounters = new Map<string, number>();
  const list: PlannedExhibitor[] = [];
  for (let i = 0; i < size.exhibitors; i++) {
    const country = i < countries.length ? countries[i]![0] : random.weighted(countries);
    const ldc = isLeastDevelopedCountry(country, openingDay);
    const african = isAfrican(country) && (ldc || random.chance(0.6));
    const area: SectorAreaCode = african ? 'food' : random.weighted(AREA_WEIGHTS);
    const categories = random.sample(categoriesOf(area), random.int(1, 3));
    const candidates = halls.filter((h) => h.sectorAreas?.includes(area));
    const hall = african ? (halls.find((h) => h.hallNumber === '1.1') ?? candidates[0]!) : random.pick(candidates);
    const counter = (boothCounters.get(hall.zoneId) ?? 0) + 1;
    boothCounters.set(hall.zoneId, counter);
    const name = companyName(random, country);
    const brand = name.split(/[\s,]+/)[0] ?? 'Expo';
    if (FG500_COUNTRIES.has(country) && area !== 'incubation') fg500Eligible.push(i);
    list.push({
      key: `exh-${String(i + 1).padStart(5, '0')}`,
      name,
      country,
      sectors: [area, ...categories],
      hall: hall.hallNumber ?? hall.zoneId,
      hallZoneId: hall.zoneId,
      booth: `${hall.hallNumber ?? ''}${african ? 'AF' : String.fromCharCode(65 + (counter % 8))}${String(counter).padStart(3, '0')}`,
      fortuneGlobal500: false,
      leastDevelopedCountry: ldc,
      africanProductsZone: african,
      products: productsOf(random, brand, area, categories),
    });
  }
  const fg500 = new Set(random.sample(fg500Eligible, size.fortuneGlobal500));
  if (fg500.size < size.fortuneGlobal500) throw new Error(`only ${fg500.size} exhibitors can be Fortune Global 500, ${size.fortuneGlobal500} wanted`);
  return list.map((e, i) => (fg500.has(i) ? { ...e, fortuneGlobal500: true } : e));
}
