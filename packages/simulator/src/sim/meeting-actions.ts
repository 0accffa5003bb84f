import { BUDGET_BANDS } from '@expo/schemas';
import { isAbsent } from '../http/http-client.ts';
import { schedule, type SimContext } from './sim-context.ts';
import type { SimBuyer } from './sim-world.ts';

const MINUTE = 60_000;
const LAST_REQUEST_MINUTE = 15 * 60 + 30;

/** Matchmaking is optional: the first sign that it is not there turns its steps off for the run. */
function failed(ctx: SimContext, step: string, error: unknown): void {
  if (isAbsent(error)) {
    ctx.matchmaking = false;
    ctx.truth.meetings.skipped = `${step}: ${(error as Error).message}`;
    return;
  }
  ctx.truth.meetings.failed++;
  ctx.truth.error(`${step}: ${(error as Error).message}`);
}

async function chooseExhibitor(ctx: SimContext, buyer: SimBuyer): Promise<number | null> {
  const free = (i: number) => !ctx.requestedPairs.has(`${buyer.index}:${i}`);
  try {
    const recommended = await ctx.transport.recommendations(buyer.token, buyer.buyerId);
    const index = new Map(ctx.world.exhibitors.map((e) => [e.exhibitorId, e.index]));
    const first = recommended.map((id) => index.get(id)).find((i): i is number => i !== undefined && free(i));
    if (first !== undefined) return first;
  } catch (error) {
    if (isAbsent(error) && !(error instanceof Error && 'status' in error)) throw error;
  }
  const fitting = ctx.world.exhibitors.filter((e) => free(e.index) && e.areas.some((a) => buyer.areas.includes(a)));
  const pool = fitting.length > 0 ? fitting : ctx.world.exhibitors.filter((e) => free(e.index));
  return pool.length > 0 ? ctx.random.pick(pool).index : null;
}

/** A buyer (a sub-group, through a member's badge) asks an exhibitor for a meeting. */
export async function meetingRequestStep(ctx: SimContext, buyerIndex: number, at: number, left: number): Promise<void> {
  const buyer = ctx.world.buyers[buyerIndex]!;
  if (!ctx.matchmaking) return;
  try {
    const exhibitor = await chooseExhibitor(ctx, buyer);
    if (exhibitor === null) return;
    const { exhibitorId } = ctx.world.exhibitors[exhibitor]!;
    ctx.requestedPairs.add(`${buyer.index}:${exhibitor}`);
    const meetingId = await ctx.transport.requestMeeting(buyer.token, {
      buyerId: buyer.buyerId,
      exhibitorId,
      requestedBy: 'buyer',
      ...(ctx.world.sessionId ? { sessionId: ctx.world.sessionId } : {}),
    });
    ctx.truth.meetings.requested++;
    ctx.meetings.set(meetingId, { meetingId, buyer: buyer.index, exhibitor, status: 'requested' });
    schedule(ctx, at + ctx.random.int(5, 30) * MINUTE, { kind: 'meeting-answer', meetingId });
  } catch (error) {
    failed(ctx, 'meeting request', error);
  }
  const nextAt = at + ctx.random.exponential(60) * MINUTE;
  if (left > 1 && nextAt < ctx.dayStartMs + LAST_REQUEST_MINUTE * MINUTE)
    schedule(ctx, nextAt, { kind: 'meeting-request', buyer: buyerIndex, day: ctx.day, left: left - 1 });
}

/** The exhibitor accepts most requests and declines the rest. */
export async function meetingAnswerStep(ctx: SimContext, meetingId: string): Promise<void> {
  const meeting = ctx.meetings.get(meetingId);
  if (!meeting || !ctx.matchmaking) return;
  const accept = ctx.random.chance(0.8);
  try {
    await ctx.transport.answerMeeting(ctx.world.exhibitors[meeting.exhibitor]!.exhibitorKey, meetingId, accept);
    meeting.status = accept ? 'accepted' : 'declined';
    if (accept) ctx.truth.meetings.accepted++;
    else ctx.truth.meetings.declined++;
  } catch (error) {
    failed(ctx, 'meeting answer', error);
  }
}

/** The organiser places the session's accepted meetings; each placed one gets an outcome at its slot's end. */
export async function scheduleSessionStep(ctx: SimContext, at: number): Promise<void> {
  const waiting = [...ctx.meetings.values()].filter((m) => m.status === 'accepted');
  if (!ctx.matchmaking || !ctx.world.sessionId || waiting.length === 0) return;
  try {
    await ctx.transport.scheduleSession(ctx.world.sessionId);
    for (const meeting of waiting) {
      const current = await ctx.transport.meeting(meeting.meetingId);
      if (current.status !== 'scheduled') continue;
      meeting.status = 'scheduled';
      ctx.truth.meetings.scheduled++;
      const end = current.slot ? Date.parse(current.slot.end) : at;
      schedule(ctx, Math.max(at + 5 * MINUTE, end), { kind: 'meeting-outcome', meetingId: meeting.meetingId });
    }
  } catch (error) {
    failed(ctx, 'session schedule', error);
  }
}

function dealUsd(ctx: SimContext, buyer: SimBuyer): number {
  const band = BUDGET_BANDS.find((b) => b.code === buyer.budgetBand)!;
  const max = band.maxUsd ?? band.minUsd * 5;
  return Math.round(ctx.random.int(Math.max(band.minUsd, 10_000), max - 1) / 1000) * 1000;
}

/** Most scheduled meetings are held, and some of those end with an intended deal. */
export async function meetingOutcomeStep(ctx: SimContext, meetingId: string): Promise<void> {
  const meeting = ctx.meetings.get(meetingId);
  if (!meeting || !ctx.matchmaking) return;
  const held = ctx.random.chance(0.85);
  const deal = held && ctx.random.chance(0.5) ? dealUsd(ctx, ctx.world.buyers[meeting.buyer]!) : undefined;
  try {
    await ctx.transport.outcome(ctx.world.exhibitors[meeting.exhibitor]!.exhibitorKey, meetingId, {
      held,
      ...(deal !== undefined ? { intendedDealUsd: deal } : {}),
    });
    meeting.status = held ? 'held' : 'no_show';
    if (!held) ctx.truth.meetings.noShow++;
    else ctx.truth.meetings.held++;
    if (deal !== undefined) {
      ctx.truth.meetings.intendedDealUsd += deal;
      ctx.truth.meetings.dealsRecorded++;
    }
  } catch (error) {
    failed(ctx, 'meeting outcome', error);
  }
}
