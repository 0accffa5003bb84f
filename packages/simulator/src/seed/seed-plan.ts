import { Random } from '../random.ts';
import { neccVenue } from '../venue/necc.ts';
import type { Venue } from '../venue/venue-types.ts';
import { planAttendees, type PlannedAttendee } from './attendee-plan.ts';
import { planDelegations, type PlannedDelegation } from './delegation-plan.ts';
import { planExhibitors, type PlannedExhibitor } from './exhibitor-plan.ts';
import type { SeedSize } from './sizes.ts';

/** Everything the generator will create, decided before any request: a pure function of the seed. */
export interface SeedPlan {
  readonly seed: number;
  readonly size: SeedSize;
  readonly venue: Venue;
  readonly exhibitors: readonly PlannedExhibitor[];
  readonly delegations: readonly PlannedDelegation[];
  readonly attendees: readonly PlannedAttendee[];
  /** The matchmaking session buyers and exhibitors are placed in. */
  readonly session: { readonly sessionId: string; readonly name: string; readonly tables: number };
}

export interface PlanOptions {
  /** The expo's opening day (`YYYY-MM-DD`): LDC status is judged on it. */
  readonly openingDay?: string;
}

export function planExpo(seed: number, size: SeedSize, options: PlanOptions = {}): SeedPlan {
  const root = new Random(seed);
  // Each part draws from its own generator, so changing one part's size leaves the others alone.
  const [exhibitorRandom, delegationRandom, attendeeRandom] = [root.fork(), root.fork(), root.fork()];
  const venue = neccVenue({ capacityScale: size.capacityScale, minCapacity: 10 });
  const halls = venue.zones.filter((z) => z.kind === 'hall');
  const exhibitors = planExhibitors(exhibitorRandom, size, halls, options.openingDay ?? '2024-11-05');
  const delegations = planDelegations(delegationRandom, size);
  const attendees = planAttendees(attendeeRandom, seed, size, exhibitors, delegations);
  return {
    seed,
    size,
    venue,
    exhibitors,
    delegations,
    attendees,
    session: { sessionId: `matchmaking-${seed}-1`, name: 'CIIE Trade Matchmaking Session', tables: size.matchmakingTables },
  };
}
