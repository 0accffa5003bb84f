import { describe, expect, it } from 'vitest';
import { Assignment } from '../../../src/domain/scheduler/assignment.ts';
import { checkSchedule } from '../../../src/domain/scheduler/check.ts';
import { runExactStage } from '../../../src/domain/scheduler/exact-stage.ts';
import { breaksLowerBound } from '../../../src/domain/scheduler/lower-bound.ts';
import { compileProblem } from '../../../src/domain/scheduler/problem.ts';
import { seededRandom } from '../../../src/domain/scheduler/random.ts';
import { scheduleSession } from '../../../src/domain/scheduler/schedule.ts';
import type { Placement, ScheduleInput } from '../../../src/domain/scheduler/types.ts';

interface Shape {
  readonly seed: number;
  readonly participants: number;
  readonly meetings: number;
  readonly slotsPerDay: number;
  readonly days: number;
  readonly tables: number;
  /** p0 meets everyone and is away in the middle of the first day: breaks are forced. */
  readonly hub?: boolean;
}

/** A tiny session: random pairs, some absences, some morning-only meetings, one fixed meeting now and then. */
function tinySession(shape: Shape): ScheduleInput {
  const random = seededRandom(shape.seed);
  const slots = Array.from({ length: shape.slotsPerDay * shape.days }, (_, i) => ({
    id: `s${i}`,
    day: `d${Math.floor(i / shape.slotsPerDay)}`,
    order: i % shape.slotsPerDay,
    session: i % shape.slotsPerDay < shape.slotsPerDay / 2 ? 'morning' : 'afternoon',
  }));
  const participants = Array.from({ length: shape.participants }, (_, i) => ({
    id: `p${i}`,
    languages: [],
    unavailable: slots.filter(() => random() < 0.12).map((s) => s.id),
  }));
  const pairs = new Set<string>();
  const meetings = [];
  if (shape.hub) {
    participants[0] = { id: 'p0', languages: [], unavailable: [slots[Math.floor(shape.slotsPerDay / 2)]!.id] };
    for (let b = 1; b < shape.participants; b++) {
      pairs.add(`0-${b}`);
      meetings.push({ id: `m${meetings.length}`, participants: ['p0', `p${b}`] as const, score: 1 });
    }
  }
  while (meetings.length < shape.meetings) {
    const a = Math.floor(random() * shape.participants);
    const b = Math.floor(random() * shape.participants);
    if (a === b || pairs.has(`${Math.min(a, b)}-${Math.max(a, b)}`)) continue;
    pairs.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
    meetings.push({
      id: `m${meetings.length}`,
      participants: [`p${a}`, `p${b}`] as const,
      score: 1,
      ...(random() < 0.2 ? { sessions: ['morning'] } : {}),
      ...(random() < 0.08 ? { fixedSlot: slots[Math.floor(random() * slots.length)]!.id } : {}),
    });
  }
  const tables = Array.from({ length: shape.tables }, (_, i) => ({ id: `t${i}`, languages: [] }));
  return { slots, tables, participants, meetings };
}

/**
 * Every schedule placing every meeting, by backtracking over slots (tables handed out in order),
 * each one recounted by the independent checker: the fewest breaks any accepted schedule has.
 */
function exhaustiveOptimum(input: ScheduleInput): { optimum: number; schedules: number } {
  let optimum = Infinity;
  let schedules = 0;
  const busy = new Set<string>();
  const seated = new Map<string, number>();
  const placements: Placement[] = [];
  const unavailable = new Map(input.participants.map((p) => [p.id, new Set(p.unavailable)]));
  const place = (i: number): void => {
    if (i === input.meetings.length) {
      const report = checkSchedule(input, { placements, unplaced: [], totalScore: 0, breaks: 0, lowerBound: 0, gap: 0, provenOptimal: false });
      expect(report.ok).toBe(true);
      schedules++;
      optimum = Math.min(optimum, report.breaks);
      return;
    }
    const meeting = input.meetings[i]!;
    for (const slot of input.slots) {
      if (meeting.fixedSlot !== undefined && slot.id !== meeting.fixedSlot) continue;
      if (meeting.sessions && !meeting.sessions.includes(slot.session)) continue;
      const used = seated.get(slot.id) ?? 0;
      if (used >= input.tables.length) continue;
      if (meeting.participants.some((q) => busy.has(`${q}@${slot.id}`) || unavailable.get(q)!.has(slot.id))) continue;
      meeting.participants.forEach((q) => busy.add(`${q}@${slot.id}`));
      seated.set(slot.id, used + 1);
      placements.push({ meetingId: meeting.id, slotId: slot.id, tableId: input.tables[used]!.id });
      place(i + 1);
      placements.pop();
      seated.set(slot.id, used);
      meeting.participants.forEach((q) => busy.delete(`${q}@${slot.id}`));
    }
  };
  place(0);
  return { optimum, schedules };
}

// Short days (5 or 6 slots), two short days, and long days (14 slots, where the exact stage lists
// only the cheap patterns and relies on its catch-all), small enough to enumerate every schedule.
const shapes: Shape[] = Array.from({ length: 24 }, (_, i) => {
  const kind = i % 4;
  return {
    seed: 100 + i,
    participants: 4 + (i % 3),
    meetings: kind === 3 ? 4 : kind === 2 ? 5 : 5 + (i % 3),
    slotsPerDay: kind === 3 ? 14 : kind === 2 ? 4 : 5 + (i % 2),
    days: kind === 2 ? 2 : 1,
    tables: 1 + (i % 3),
  };
});
for (let i = 0; i < 8; i++)
  shapes.push({ seed: 200 + i, participants: 5 + (i % 2), meetings: 6, slotsPerDay: 5 + (i % 2), days: 1, tables: 2 + (i % 2), hub: true });

describe('lower bounds on breaks', () => {
  const cases = shapes
    .map((shape) => ({ shape, input: tinySession(shape) }))
    .map((c) => ({ ...c, ...exhaustiveOptimum(c.input) }))
    .filter((c) => c.schedules > 0);

  it('enumerates enough feasible tiny sessions to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
    expect(cases.filter((c) => c.optimum > 0).length).toBeGreaterThanOrEqual(10);
  });

  it('the combinatorial bound never exceeds the breaks of any schedule the checker accepts', () => {
    for (const c of cases) {
      const problem = compileProblem(c.input);
      const bound = breaksLowerBound(
        problem,
        Array.from({ length: problem.nMeetings }, (_, m) => m),
      );
      expect(bound.total, `seed ${c.shape.seed}`).toBeLessThanOrEqual(c.optimum);
    }
  });

  it('the scheduler reports a bound at most the optimum, a gap, and "proven optimal" only when its breaks equal the bound', () => {
    for (const c of cases) {
      const result = scheduleSession(c.input, { timeBudgetMs: 0, seed: 1 });
      if (result.unplaced.length > 0) continue;
      expect(checkSchedule(c.input, result).breaks).toBe(result.breaks);
      expect(result.lowerBound).toBeLessThanOrEqual(c.optimum);
      expect(result.breaks).toBeGreaterThanOrEqual(c.optimum);
      expect(result.gap).toBe(result.breaks - result.lowerBound);
      expect(result.provenOptimal).toBe(result.breaks === result.lowerBound);
      if (result.provenOptimal) expect(result.breaks).toBe(c.optimum);
    }
  });

  it('the exact stage proves a bound at most the optimum, and on short days finds the optimum itself', async () => {
    for (const c of cases) {
      const problem = compileProblem(c.input);
      const asg = new Assignment(problem);
      const greedy = scheduleSession(c.input, { timeBudgetMs: 0, seed: 1 });
      if (greedy.unplaced.length > 0) continue;
      const slotIndex = new Map(problem.slotIds.map((id, s) => [id, s]));
      const tableIndex = new Map(problem.tableIds.map((id, t) => [id, t]));
      const meetingIndex = new Map(problem.meetingIds.map((id, m) => [id, m]));
      asg.begin();
      for (const p of greedy.placements) asg.place(meetingIndex.get(p.meetingId)!, slotIndex.get(p.slotId)!, tableIndex.get(p.tableId)!);
      asg.settleBreaks();
      const floor = breaksLowerBound(
        problem,
        Array.from({ length: problem.nMeetings }, (_, m) => m),
      ).perParticipant;
      const bound = await runExactStage(asg, floor, performance.now() + 60_000);
      expect(bound, `seed ${c.shape.seed}`).toBeLessThanOrEqual(c.optimum + 1e-6);
      if (c.shape.slotsPerDay <= 12) {
        expect(bound).toBeCloseTo(c.optimum, 6);
        const placements = problem.meetingIds.map((meetingId, m) => ({
          meetingId,
          slotId: problem.slotIds[asg.slotOf[m]!]!,
          tableId: problem.tableIds[asg.tableOf[m]!]!,
        }));
        const report = checkSchedule(c.input, { ...greedy, placements });
        expect(report.ok).toBe(true);
        expect(report.breaks).toBe(c.optimum);
      }
    }
  });
});
