import { forEachLimit } from '../concurrency.ts';
import { isAbsent } from '../http/http-client.ts';
import type { SeedContext } from './seed-context.ts';

const SLOT_MINUTES = 30;

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to && days.length < 31; d.setUTCDate(d.getUTCDate() + 1))
    days.push(d.toISOString().slice(0, 10));
  return days;
}

/** Half-hour slots from 10:00 to 17:00 Shanghai time on every day of the expo. */
export function sessionSlots(from: string, to: string): Array<{ slotId: string; start: string; end: string }> {
  return daysBetween(from, to).flatMap((day) =>
    Array.from({ length: (7 * 60) / SLOT_MINUTES }, (_, i) => {
      const start = new Date(Date.parse(`${day}T10:00:00+08:00`) + i * SLOT_MINUTES * 60_000);
      const end = new Date(start.getTime() + SLOT_MINUTES * 60_000);
      return { slotId: `${day}-${String(i + 1).padStart(2, '0')}`, start: start.toISOString(), end: end.toISOString() };
    }),
  );
}

/**
 * The matchmaking session and the sub-groups' purchase requirements. Matchmaking is optional: a
 * service that does not answer is noted and skipped, and a re-run posts what is still missing.
 */
export async function seedMatchmaking(ctx: SeedContext): Promise<void> {
  const { plan, state } = ctx;
  const days = state.validity ?? { from: state.openingDay, to: state.openingDay };
  try {
    await ctx.matchmaking.put(`/v1/sessions/${plan.session.sessionId}`, {
      name: plan.session.name,
      slots: sessionSlots(days.from, days.to),
      tables: Array.from({ length: plan.session.tables }, (_, i) => ({
        tableId: `table-${String(i + 1).padStart(3, '0')}`,
        languages: i % 3 === 0 ? ['zh', 'en', 'fr'] : ['zh', 'en'],
      })),
    });
    state.session = { sessionId: plan.session.sessionId, defined: true };
  } catch (error) {
    if (!isAbsent(error)) throw error;
    ctx.notes.push(`matchmaking skipped: ${(error as Error).message}`);
    return;
  }
  const groups = plan.delegations.flatMap((d) => d.subGroups.map((g) => ({ group: g, subGroupId: state.delegations[d.key]?.subGroups[g.key] })));
  let done = 0;
  let failed = 0;
  await forEachLimit(groups, ctx.concurrency, async ({ group, subGroupId }) => {
    for (let i = state.requirements[group.key] ?? 0; subGroupId && i < group.requirements.length; i++) {
      try {
        await ctx.matchmaking.post(`/v1/buyers/${subGroupId}/requirements`, group.requirements[i]);
        state.requirements[group.key] = i + 1;
      } catch (error) {
        if (!isAbsent(error) && !(error instanceof Error && 'status' in error && error.status === 400)) throw error;
        failed++;
        break;
      }
    }
    ctx.progress('matchmaking', ++done, groups.length);
  });
  if (failed > 0)
    ctx.notes.push(`${failed} sub-groups' purchase requirements were refused (matchmaking may not know the sub-group yet: re-run seed to post the rest)`);
  await ctx.save();
}
