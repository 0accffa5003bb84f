import { isAbsent } from '../http/http-client.ts';
import { moveTo, schedule, type SimContext } from './sim-context.ts';
import { uploadOffline } from './visitor-step.ts';
import { arrivalMinute } from './visitor-model.ts';

const MINUTE = 60_000;
const DAY_MS = 24 * 60 * MINUTE;

/**
 * Midnight at the venue (Shanghai, UTC+8 all year) of the run's `day`-th day, cycling through the
 * badges' valid days. When the expo is on today, the run starts today: exhibitors' lead scans are
 * checked against the service's clock, so they only work on a real expo day.
 */
export function dayStart(validity: { from: string; to: string }, day: number, nowMs = Date.now()): number {
  const first = Date.parse(`${validity.from}T00:00:00+08:00`);
  const days = Math.max(1, Math.round((Date.parse(`${validity.to}T00:00:00+08:00`) - first) / DAY_MS) + 1);
  const today = Math.floor((nowMs - first) / DAY_MS);
  const offset = today >= 0 && today < days ? today : 0;
  return first + ((day + offset) % days) * DAY_MS;
}

/** Everyone's day: arrivals in the morning peak, scanner outages, leads, meeting requests, the session's scheduling rounds, the close. */
export function startDay(ctx: SimContext, day: number): void {
  ctx.day = day;
  ctx.dayStartMs = dayStart(ctx.world.validity, day);
  ctx.truth.day = day;
  const at = (minute: number) => ctx.dayStartMs + minute * MINUTE;
  for (const visitor of ctx.world.visitors) {
    visitor.phase = 'waiting';
    visitor.itinerary = [];
    schedule(ctx, at(arrivalMinute(ctx.random, visitor.category)) + ctx.random.int(0, 59_999), { kind: 'visitor', visitor: visitor.index, day });
  }
  for (const back of ctx.fleet.planOutages(ctx.random, ctx.dayStartMs, ctx.behaviour.offlineShare, ctx.behaviour.outageMinutes))
    schedule(ctx, back.at, { kind: 'reconnect', gateId: back.gateId });
  for (const exhibitor of ctx.world.exhibitors) schedule(ctx, at(ctx.random.int(9 * 60 + 30, 11 * 60)), { kind: 'lead', exhibitor: exhibitor.index, day });
  for (const buyer of ctx.world.buyers) {
    schedule(ctx, at(ctx.random.int(9 * 60, 12 * 60)), { kind: 'meeting-request', buyer: buyer.index, day, left: ctx.behaviour.meetingsPerBuyer });
  }
  for (let minute = 10 * 60; minute <= 17 * 60; minute += 60) schedule(ctx, at(minute), { kind: 'schedule-session' });
  schedule(ctx, at(21 * 60), { kind: 'day-end' });
}

/**
 * The close: scanners upload what they still hold, the people still inside go home, the closing
 * sweep moves every badge out (so the next day starts at zero), and the next day begins.
 */
export async function endDay(ctx: SimContext): Promise<void> {
  await flushOffline(ctx);
  for (const visitor of ctx.world.visitors) {
    if (visitor.location !== null) moveTo(ctx, visitor, null);
    visitor.phase = 'gone';
  }
  if (ctx.behaviour.sweepBetweenDays) {
    try {
      await ctx.transport.sweep();
      ctx.belief.sweep();
      ctx.truth.sweeps++;
    } catch (error) {
      if (!isAbsent(error)) throw error;
      ctx.truth.error(`sweep: ${(error as Error).message}`);
    }
  }
  startDay(ctx, ctx.day + 1);
}

/** Every scanner back online, its queue uploaded. */
export async function flushOffline(ctx: SimContext): Promise<void> {
  for (const gateId of ctx.tree.venue.zones.flatMap((z) => z.gates.map((g) => g.gateId))) {
    if (ctx.fleet.has(gateId)) await uploadOffline(ctx, gateId);
  }
}
