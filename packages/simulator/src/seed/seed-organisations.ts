import type { DelegationResponse, RegisterExhibitorResponse } from '@expo/schemas';
import { forEachLimit } from '../concurrency.ts';
import type { SeedContext } from './seed-context.ts';

const SAVE_EVERY = 200;

/**
 * Exhibitors and delegations. Registration assigns their ids and has no idempotency key for them,
 * so the state file is what makes a re-run skip those already created.
 */
export async function seedExhibitors(ctx: SeedContext): Promise<void> {
  const { plan, state } = ctx;
  const todo = plan.exhibitors.filter((e) => !state.exhibitors[e.key]);
  let done = plan.exhibitors.length - todo.length;
  await forEachLimit(todo, ctx.concurrency, async (exhibitor) => {
    const { key: _key, hallZoneId: _zone, ...body } = exhibitor;
    const { body: created } = await ctx.registration.post<RegisterExhibitorResponse>('/v1/exhibitors', body);
    state.exhibitors[exhibitor.key] = { exhibitorId: created.exhibitorId, exhibitorKey: created.exhibitorKey };
    if (++done % SAVE_EVERY === 0) await ctx.save();
    ctx.progress('exhibitors', done, plan.exhibitors.length);
  });
  await ctx.save();
}

export async function seedDelegations(ctx: SeedContext): Promise<void> {
  const { plan, state } = ctx;
  let done = 0;
  for (const delegation of plan.delegations) {
    if (!state.delegations[delegation.key]) {
      const body = {
        name: delegation.name,
        nameLocal: delegation.nameLocal,
        kind: delegation.kind,
        country: delegation.country,
        origin: delegation.origin,
        subGroups: delegation.subGroups.map((g) => ({ name: g.name, interests: g.interests, budgetBand: g.budgetBand })),
      };
      const { body: created } = await ctx.registration.post<DelegationResponse>('/v1/delegations', body);
      // Sub-groups come back in the order they were sent.
      const subGroups = Object.fromEntries(delegation.subGroups.map((g, i) => [g.key, created.subGroups[i]!.subGroupId]));
      state.delegations[delegation.key] = { delegationId: created.delegationId, subGroups };
      await ctx.save();
    }
    ctx.progress('delegations', ++done, plan.delegations.length);
  }
}
