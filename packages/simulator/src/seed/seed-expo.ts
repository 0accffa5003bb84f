import type { Endpoints } from '../http/endpoints.ts';
import { badgeClaims } from '../badge-claims.ts';
import { clientsFor, type SeedContext, type SeedPhase } from './seed-context.ts';
import { seedImportedAttendees, seedPublicAttendees } from './seed-attendees.ts';
import { seedMatchmaking } from './seed-matchmaking.ts';
import { seedDelegations, seedExhibitors } from './seed-organisations.ts';
import { planExpo, type SeedPlan } from './seed-plan.ts';
import { emptyState, loadState, saveState, type SeedState } from './seed-state.ts';
import type { SeedSize } from './sizes.ts';
import { seedVenue } from './seed-venue.ts';

export interface SeedOptions {
  readonly endpoints: Endpoints;
  readonly seed: number;
  readonly size: SeedSize;
  /** Where the state file is kept (created when missing). */
  readonly stateDir: string;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** `YYYY-MM-DD`; LDC status is judged on it and the matchmaking session falls back to it. */
  readonly openingDay?: string;
  readonly skipMatchmaking?: boolean;
  readonly onProgress?: (phase: SeedPhase, done: number, total: number) => void;
}

export interface SeedResult {
  readonly plan: SeedPlan;
  readonly state: SeedState;
  readonly counts: Readonly<Record<string, number>>;
  readonly seconds: Readonly<Partial<Record<SeedPhase, number>>>;
  readonly notes: readonly string[];
}

/**
 * Creates the planned expo through the services' HTTP routes, resuming from the state file: a
 * re-run with the same seed and size creates nothing twice.
 */
export async function seedExpo(options: SeedOptions): Promise<SeedResult> {
  const openingDay = options.openingDay ?? '2024-11-05';
  const plan = planExpo(options.seed, options.size, { openingDay });
  const loaded = await loadState(options.stateDir);
  if (loaded && (loaded.seed !== options.seed || loaded.size.name !== options.size.name)) {
    throw new Error(
      `${options.stateDir} holds seed ${loaded.seed} size ${loaded.size.name}; use another state directory for seed ${options.seed} size ${options.size.name}`,
    );
  }
  const state = loaded ?? emptyState(options.seed, options.size, openingDay);
  const ctx: SeedContext = {
    plan,
    state,
    ...clientsFor(options.endpoints),
    concurrency: options.concurrency ?? 8,
    save: () => saveState(options.stateDir, state),
    progress: options.onProgress ?? (() => undefined),
    notes: [],
  };
  const seconds: Partial<Record<SeedPhase, number>> = {};
  const phase = async (name: SeedPhase, work: (c: SeedContext) => Promise<void>) => {
    const started = performance.now();
    await work(ctx);
    seconds[name] = Math.round(performance.now() - started) / 1000;
  };
  await phase('venue', seedVenue);
  await phase('exhibitors', seedExhibitors);
  await phase('delegations', seedDelegations);
  await phase('attendees', seedPublicAttendees);
  await phase('import', seedImportedAttendees);
  const token = Object.values(state.attendees).find((a) => a.badgeToken)?.badgeToken;
  if (token) {
    const claims = badgeClaims(token);
    state.validity = { from: claims.from, to: claims.to };
  }
  await ctx.save();
  if (!options.skipMatchmaking) await phase('matchmaking', seedMatchmaking);
  return { plan, state, counts: countsOf(plan, state), seconds, notes: ctx.notes };
}

function countsOf(plan: SeedPlan, state: SeedState): Record<string, number> {
  const attendees = Object.values(state.attendees);
  return {
    zones: state.zones.length,
    gates: Object.keys(state.gates).length,
    devices: Object.keys(state.devices).length,
    exhibitors: Object.keys(state.exhibitors).length,
    exhibitorCountries: new Set(plan.exhibitors.map((e) => e.country)).size,
    fortuneGlobal500: plan.exhibitors.filter((e) => e.fortuneGlobal500).length,
    ldcExhibitors: plan.exhibitors.filter((e) => e.leastDevelopedCountry).length,
    productDebuts: plan.exhibitors.flatMap((e) => e.products).filter((p) => p.debut).length,
    delegations: Object.keys(state.delegations).length,
    subGroups: Object.values(state.delegations).reduce((n, d) => n + Object.keys(d.subGroups).length, 0),
    requirements: Object.values(state.requirements).reduce((n, r) => n + r, 0),
    attendees: attendees.length,
    badgeTokens: attendees.filter((a) => a.badgeToken).length,
  };
}
