import type { Assignment } from './assignment.ts';
import { loadMipSolver, solvePatternModel } from './mip.ts';
import { buildPatternModel, startFromSchedule, type PatternModel } from './pattern-model.ts';
import type { Problem } from './problem.ts';

/** Sessions past these sizes skip the exact stage: its model would not even be built in a few seconds. */
const MAX_MEETINGS = 1000;
const MAX_PARTICIPANTS = 500;
const MAX_COLUMNS = 60_000;
/** A day this short lists every pattern of every participant, so the MIP is the exact problem. */
const SHORT_DAY = 12;
const PATTERN_LIMIT = 4000;
const NODE_LIMIT = 200_000;

export function exactStageFits(problem: Problem): boolean {
  return problem.nMeetings <= MAX_MEETINGS && problem.nParticipants <= MAX_PARTICIPANTS;
}

function longestDay(problem: Problem): number {
  return Math.max(...problem.dayStart.map((start, d) => problem.dayEnd[d]! - start));
}

/** The model's slots put into the schedule; the change of breaks, or null (nothing changed) when the tables cannot seat them. */
function applySolution(asg: Assignment, model: PatternModel, free: readonly number[], values: Float64Array): number | null {
  asg.begin();
  for (const m of free) asg.remove(m);
  for (const [i, m] of free.entries()) {
    const choice = model.choices[i]!.find((c) => values[c.col]! > 0.5);
    const table = choice === undefined ? -1 : asg.freeTable(m, choice.slot);
    if (table < 0) {
      asg.rollback(asg.settleBreaks());
      return null;
    }
    asg.place(m, choice!.slot, table);
  }
  return asg.settleBreaks();
}

/**
 * The exact stage: the whole session as a pattern MIP (pattern-model.ts) over the meetings the
 * local search placed, solved by HiGHS from the local search's schedule until `deadline`
 * (performance.now() time). A better schedule it finds replaces the current one; its proven
 * bound is returned, valid for every schedule of the same meetings because the model is a
 * relaxation (a catch-all pattern costed from below stands for every pattern not listed).
 * -Infinity when nothing was proven in time.
 */
export async function runExactStage(asg: Assignment, floor: readonly number[], deadline: number): Promise<number> {
  const problem = asg.problem;
  const highs = await loadMipSolver();
  const placed: number[] = [];
  for (let m = 0; m < problem.nMeetings; m++) if (asg.slotOf[m]! >= 0) placed.push(m);
  const short = longestDay(problem) <= SHORT_DAY;
  const model = buildPatternModel(
    problem,
    asg.slotOf,
    { free: placed },
    {
      maxBreaks: (q) => (short ? problem.nSlots : floor[q]! + 1),
      patternLimit: PATTERN_LIMIT,
      nodeLimit: NODE_LIMIT,
      maxColumns: MAX_COLUMNS,
      deadline,
      floor: (q) => floor[q]!,
    },
  );
  const timeLimitMs = deadline - performance.now();
  if (model === null || timeLimitMs <= 0) return -Infinity;
  // Branching pays only on the exact model; on a relaxation the LP optimum is the bound it gives.
  const start = model.exact ? startFromSchedule(problem, model, { free: placed }, asg.slotOf) : null;
  let outcome;
  try {
    outcome = solvePatternModel(highs, model, { timeLimitMs, relax: !model.exact, start });
  } catch {
    // A solver failure (numerical trouble, memory) proves nothing and changes nothing: the local
    // search's schedule and the combinatorial bound stand.
    return -Infinity;
  }
  if (model.exact && outcome.values !== null && outcome.objective < asg.breaks - 0.5) {
    const delta = applySolution(asg, model, placed, outcome.values);
    if (delta !== null && delta > 0) asg.rollback(delta);
  }
  return outcome.bound;
}
