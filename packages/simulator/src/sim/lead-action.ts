import { schedule, type SimContext } from './sim-context.ts';

const DAY_END_MINUTE = 17 * 60 + 30;

/** An exhibitor scans the badge of someone standing in its hall, now and then with a rating. */
export async function leadStep(ctx: SimContext, exhibitorIndex: number, at: number): Promise<void> {
  const exhibitor = ctx.world.exhibitors[exhibitorIndex]!;
  const here = [...(ctx.presence.get(exhibitor.hallZoneId) ?? [])].filter((i) => ctx.world.visitors[i]!.exhibitorIndex !== exhibitorIndex);
  if (here.length > 0) {
    const visitor = ctx.world.visitors[ctx.random.pick(here)]!;
    const rating = ctx.random.chance(0.7) ? ctx.random.int(1, 5) : undefined;
    ctx.truth.leads.posted++;
    try {
      await ctx.transport.lead(exhibitor.exhibitorKey, {
        leadId: `lead-${ctx.runId}-${++ctx.counter}`,
        badgeToken: visitor.token,
        ...(rating ? { rating } : {}),
      });
      ctx.truth.leads.captured++;
    } catch (error) {
      ctx.truth.leads.failed++;
      ctx.truth.error(`lead: ${(error as Error).message}`);
    }
  }
  const nextAt = at + ctx.random.exponential(ctx.behaviour.leadEveryMinutes) * 60_000;
  if (nextAt < ctx.dayStartMs + DAY_END_MINUTE * 60_000) schedule(ctx, nextAt, { kind: 'lead', exhibitor: exhibitorIndex, day: ctx.day });
}
