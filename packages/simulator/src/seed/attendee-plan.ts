import type { AttendeeCategory, CountryCode, SectorCode } from '@expo/schemas';
import { SECTOR_AREAS } from '@expo/schemas';
import type { Random } from '../random.ts';
import { MEDIA_WEIGHTS, VISITOR_WEIGHTS } from './country-mix.ts';
import type { PlannedDelegation } from './delegation-plan.ts';
import type { PlannedExhibitor } from './exhibitor-plan.ts';
import { companyName, personName, seedFakers } from './person-names.ts';
import type { SeedSize } from './sizes.ts';

export interface PlannedAttendee {
  readonly key: string;
  readonly category: AttendeeCategory;
  readonly name: string;
  readonly nameLocal?: string;
  readonly email: string;
  readonly organisation?: string;
  readonly country: CountryCode;
  readonly interests: SectorCode[];
  readonly exhibitorKey?: string;
  readonly delegationKey?: string;
  readonly subGroupKey?: string;
  /** `public`: registered one by one (the answer carries the badge token); `import`: in a CSV. */
  readonly route: 'public' | 'import';
}

const MEDIA_OUTLETS = [
  'Xinhua News Agency',
  'China Media Group',
  'Jiefang Daily',
  'Caixin',
  'Reuters',
  'Bloomberg',
  'Agence France-Presse',
  'Kyodo News',
  'Deutsche Presse-Agentur',
  'TASS',
  'EFE',
  'Nation Media Group',
];

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^A-Za-z]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'guest';

function interestsOf(random: Random): SectorCode[] {
  const area = random.pick(SECTOR_AREAS);
  return [
    area.code,
    ...random.sample(
      area.categories.map((c) => c.code),
      random.int(0, 2),
    ),
  ];
}

/** How many of each category: professional visitors fill what the size leaves. */
export function categoryCounts(size: SeedSize): Array<readonly [AttendeeCategory, number]> {
  const others = Object.entries(size.categoryCounts) as Array<[AttendeeCategory, number]>;
  const rest = size.attendees - others.reduce((sum, [, n]) => sum + n, 0);
  if (rest < 0) throw new Error(`size ${size.name}: categories add up to more than ${size.attendees} attendees`);
  return [['professional_visitor', rest], ...others];
}

interface Context {
  readonly random: Random;
  readonly seed: number;
  readonly exhibitors: readonly PlannedExhibitor[];
  readonly subGroups: ReadonlyArray<{ delegation: PlannedDelegation; key: string; interests: SectorCode[] }>;
}

function attendeeOf(ctx: Context, category: AttendeeCategory, i: number, index: number): Omit<PlannedAttendee, 'route'> {
  const { random } = ctx;
  const key = `att-${String(index + 1).padStart(6, '0')}`;
  let country: CountryCode = random.weighted(VISITOR_WEIGHTS);
  let organisation: string | undefined;
  let interests = interestsOf(random);
  const links: { exhibitorKey?: string; delegationKey?: string; subGroupKey?: string } = {};
  if (category === 'exhibitor_staff' && ctx.exhibitors.length > 0) {
    const exhibitor = ctx.exhibitors[i % ctx.exhibitors.length]!;
    country = random.chance(0.55) ? exhibitor.country : 'CN';
    organisation = exhibitor.name;
    interests = exhibitor.sectors.slice(0, 3);
    links.exhibitorKey = exhibitor.key;
  } else if (category === 'buyer' && ctx.subGroups.length > 0) {
    const group = ctx.subGroups[i % ctx.subGroups.length]!;
    country = group.delegation.country;
    organisation = group.delegation.name;
    interests = group.interests;
    Object.assign(links, { delegationKey: group.delegation.key, subGroupKey: group.key });
  } else if (category === 'media') {
    country = random.weighted(MEDIA_WEIGHTS);
    organisation = random.pick(MEDIA_OUTLETS);
  } else if (category === 'vip' || category === 'organiser_staff') {
    country = category === 'organiser_staff' || random.chance(0.6) ? 'CN' : random.weighted(VISITOR_WEIGHTS);
    organisation = category === 'organiser_staff' ? 'China International Import Expo Bureau' : undefined;
  } else if (random.chance(0.8)) {
    organisation = companyName(random, country);
  }
  const person = personName(random, country);
  return {
    key,
    category,
    ...person,
    email: `${slug(person.name)}.${ctx.seed}.${index + 1}@${category.replace('_', '-')}.example.com`,
    ...(organisation ? { organisation } : {}),
    country,
    interests,
    ...links,
  };
}

/**
 * Attendees of every category. The first of each category (in proportion, and at least one buyer
 * per sub-group) register on the public route so the simulator holds their badge tokens.
 */
export function planAttendees(
  random: Random,
  seed: number,
  size: SeedSize,
  exhibitors: readonly PlannedExhibitor[],
  delegations: readonly PlannedDelegation[],
): PlannedAttendee[] {
  const subGroups = delegations.flatMap((d) => d.subGroups.map((g) => ({ delegation: d, key: g.key, interests: g.interests })));
  seedFakers(random);
  const ctx: Context = { random, seed, exhibitors, subGroups };
  const share = size.attendees === 0 ? 0 : size.publicRegistrations / size.attendees;
  const list: PlannedAttendee[] = [];
  for (const [category, count] of categoryCounts(size)) {
    let quota = Math.min(count, Math.max(count > 0 ? 1 : 0, Math.round(count * share)));
    if (category === 'buyer') quota = Math.min(count, Math.max(quota, subGroups.length));
    for (let i = 0; i < count; i++) list.push({ ...attendeeOf(ctx, category, i, list.length), route: i < quota ? 'public' : 'import' });
  }
  return list;
}
