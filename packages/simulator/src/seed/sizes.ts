import type { AttendeeCategory } from '@expo/schemas';

/** How big an expo the generator makes. Every count is exact for a given size. */
export interface SeedSize {
  readonly name: string;
  readonly exhibitors: number;
  readonly exhibitorCountries: number;
  readonly fortuneGlobal500: number;
  readonly governmentDelegations: number;
  readonly industryDelegations: number;
  readonly subGroups: number;
  readonly requirementsPerSubGroup: number;
  /** Attendees per category; professional visitors make up the rest of `attendees`. */
  readonly attendees: number;
  readonly categoryCounts: Readonly<Partial<Record<Exclude<AttendeeCategory, 'professional_visitor'>, number>>>;
  /**
   * How many attendees register one by one on the public route, which answers their badge token
   * (the simulator walks only these); the rest go in bulk through the CSV import.
   */
  readonly publicRegistrations: number;
  /** Capacities relative to the real NECC. */
  readonly capacityScale: number;
  readonly matchmakingTables: number;
}

/** The 7th CIIE (docs/architecture.md, "The load designed for"): for benchmarks. */
export const CIIE_SIZE: SeedSize = {
  name: 'ciie',
  exhibitors: 3_496,
  exhibitorCountries: 129,
  fortuneGlobal500: 297,
  governmentDelegations: 39,
  industryDelegations: 4,
  subGroups: 780,
  requirementsPerSubGroup: 15,
  attendees: 430_000,
  categoryCounts: { exhibitor_staff: 14_000, buyer: 7_800, media: 4_000, vip: 1_500, organiser_staff: 5_000 },
  publicRegistrations: 5_000,
  capacityScale: 1,
  matchmakingTables: 300,
};

/** A small expo for `pnpm dev` and the end-to-end test: every feature, a few hundred people. */
export const DEMO_SIZE: SeedSize = {
  name: 'demo',
  exhibitors: 40,
  exhibitorCountries: 20,
  fortuneGlobal500: 4,
  governmentDelegations: 3,
  industryDelegations: 1,
  subGroups: 10,
  requirementsPerSubGroup: 2,
  attendees: 300,
  categoryCounts: { exhibitor_staff: 40, buyer: 30, media: 10, vip: 5, organiser_staff: 10 },
  publicRegistrations: 300,
  capacityScale: 0.002,
  matchmakingTables: 10,
};

export const SIZES: Readonly<Record<string, SeedSize>> = { demo: DEMO_SIZE, ciie: CIIE_SIZE };

export function sizeNamed(name: string): SeedSize {
  const size = SIZES[name];
  if (!size) throw new Error(`unknown size ${name}; one of ${Object.keys(SIZES).join(', ')}`);
  return size;
}
