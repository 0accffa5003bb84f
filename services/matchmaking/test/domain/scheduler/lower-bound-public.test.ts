import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dznToScheduleInput, parseDzn } from '../../../bench/dzn.ts';
import { Assignment } from '../../../src/domain/scheduler/assignment.ts';
import { checkSchedule } from '../../../src/domain/scheduler/check.ts';
import { runExactStage } from '../../../src/domain/scheduler/exact-stage.ts';
import { breaksLowerBound } from '../../../src/domain/scheduler/lower-bound.ts';
import { compileProblem } from '../../../src/domain/scheduler/problem.ts';
import { scheduleSession } from '../../../src/domain/scheduler/schedule.ts';
import type { Placement, ScheduleInput, ScheduleResult } from '../../../src/domain/scheduler/types.ts';

// Copies of five small public instances (Bofill et al., JAIR 74 (2022); the benchmark reads all
// twenty from the shared data folder), and for each a schedule at the fewest breaks known: each
// meeting's slot (1-based), as scheduleSessionExact found them with a 60 s budget. On these the
// bounds are tight (forumt-14's combinatorial bound is its schedule's 5 breaks), so a bound that
// overcounts by one fails here.
const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url);
const known = JSON.parse(readFileSync(fixture('public-schedules.json'), 'utf8')) as Record<string, { breaks: number; slots: number[] }>;
const INSTANCES = ['tic-12', 'tic-12crafc', 'tic-13crafc', 'forumt-14', 'forumt-14crafe'] as const;

/** The stored slots as placements, the tables of each slot handed out in order (the instances' tables are alike). */
function storedPlacements(input: ScheduleInput, slots: readonly number[]): Placement[] {
  const seated = new Map<number, number>();
  return input.meetings.map((meeting, i) => {
    const slot = slots[i]!;
    const table = seated.get(slot) ?? 0;
    seated.set(slot, table + 1);
    return { meetingId: meeting.id, slotId: `s${slot}`, tableId: input.tables[table]!.id };
  });
}

const asResult = (placements: readonly Placement[]): ScheduleResult => ({
  placements,
  unplaced: [],
  totalScore: 0,
  breaks: 0,
  lowerBound: 0,
  gap: 0,
  provenOptimal: false,
});

/** Breaks of a schedule the independent checker accepts with every meeting placed. */
function acceptedBreaks(input: ScheduleInput, placements: readonly Placement[]): number {
  const report = checkSchedule(input, asResult(placements));
  expect(report.violations).toEqual([]);
  expect(report.placed).toBe(input.meetings.length);
  return report.breaks;
}

describe('lower bounds on the small public instances', () => {
  const cases = INSTANCES.map((name) => {
    const input = dznToScheduleInput(parseDzn(readFileSync(fixture(`${name}.original.dzn`), 'utf8')));
    const problem = compileProblem(input);
    const all = Array.from({ length: problem.nMeetings }, (_, m) => m);
    return { name, input, problem, bound: breaksLowerBound(problem, all), stored: storedPlacements(input, known[name]!.slots) };
  });

  it('the stored schedules are accepted by the checker, with the breaks recorded', () => {
    for (const c of cases) expect(acceptedBreaks(c.input, c.stored), c.name).toBe(known[c.name]!.breaks);
  });

  it('the combinatorial bound never exceeds the breaks of a schedule the checker accepts: the stored one, and the scheduler’s own', () => {
    for (const c of cases) {
      expect(c.bound.total, c.name).toBeLessThanOrEqual(known[c.name]!.breaks);
      const result = scheduleSession(c.input, { timeBudgetMs: 300, seed: 7 });
      const breaks = acceptedBreaks(c.input, result.placements);
      expect(result.breaks, c.name).toBe(breaks);
      expect(c.bound.total, c.name).toBeLessThanOrEqual(breaks);
      expect(result.lowerBound, c.name).toBeLessThanOrEqual(breaks);
    }
    // Not vacuous: on forumt-14 the bound is the stored schedule's breaks.
    const tight = cases.find((c) => c.name === 'forumt-14')!;
    expect(tight.bound.total).toBe(known['forumt-14']!.breaks);
    expect(tight.bound.total).toBeGreaterThan(0);
  });

  it('the exact stage’s proven bound never exceeds the breaks of the stored schedule, nor of the schedule it leaves', async () => {
    for (const c of cases) {
      const asg = new Assignment(c.problem);
      const slotIndex = new Map(c.problem.slotIds.map((id, s) => [id, s]));
      const tableIndex = new Map(c.problem.tableIds.map((id, t) => [id, t]));
      const meetingIndex = new Map(c.problem.meetingIds.map((id, m) => [id, m]));
      asg.begin();
      for (const p of c.stored) asg.place(meetingIndex.get(p.meetingId)!, slotIndex.get(p.slotId)!, tableIndex.get(p.tableId)!);
      asg.settleBreaks();
      // From the stored schedule, with a short deadline: whatever it proves in time must hold.
      const bound = await runExactStage(asg, c.bound.perParticipant, performance.now() + 1500);
      expect(bound, c.name).toBeLessThanOrEqual(known[c.name]!.breaks + 1e-6);
      const left = c.problem.meetingIds.map((meetingId, m) => ({
        meetingId,
        slotId: c.problem.slotIds[asg.slotOf[m]!]!,
        tableId: c.problem.tableIds[asg.tableOf[m]!]!,
      }));
      expect(bound, c.name).toBeLessThanOrEqual(acceptedBreaks(c.input, left) + 1e-6);
    }
  });
});
