import { Assignment } from './assignment.ts';
import { exactStageFits, runExactStage } from './exact-stage.ts';
import { placeGreedily } from './greedy.ts';
import { improve } from './local-search.ts';
import { breaksLowerBound } from './lower-bound.ts';
import { compileProblem, type Problem } from './problem.ts';
import { seededRandom } from './random.ts';
import { UNPLACED_REASONS, type Placement, type ScheduleInput, type ScheduleOptions, type ScheduleResult, type Unplaced } from './types.ts';

export const DEFAULT_TIME_BUDGET_MS = 2000;
/** Share of the budget the local search gets when the exact stage runs after it. */
const LOCAL_SEARCH_SHARE = 0.75;
/**
 * Below this budget the exact stage is skipped: its quarter would not even solve the LP of a
 * public instance, and the local search makes better use of the time (bench/results).
 */
export const EXACT_STAGE_MIN_BUDGET_MS = 10_000;
/** Share of the budget the combinatorial bound may take at most (it is usually far quicker). */
const BOUND_SHARE = 0.1;
const MIN_BOUND_MS = 200;

interface Bound {
  readonly total: number;
  readonly perParticipant: readonly number[];
}

function boundOf(problem: Problem, placed: readonly number[], budgetMs: number): Bound {
  return breaksLowerBound(problem, placed, performance.now() + Math.max(MIN_BOUND_MS, budgetMs * BOUND_SHARE));
}

/**
 * Greedy then local search until `deadline` (performance.now() time; the local search gets
 * `share` of what is left after the greedy). The bound for placing every meeting that can be
 * placed is computed first, so the search stops once it reaches it; the bound returned is for the
 * meetings the schedule places in the end (recomputed if the search left some out).
 */
function search(problem: Problem, options: ScheduleOptions, deadline: number, share: number): { asg: Assignment; bound: Bound } {
  const budgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const possible = Array.from({ length: problem.nMeetings }, (_, m) => m).filter((m) => problem.impossible[m] === null);
  const target = boundOf(problem, possible, budgetMs);
  const initial = new Assignment(problem);
  placeGreedily(initial);
  const asg = improve(initial, seededRandom(options.seed ?? 1), Math.max(0, deadline - performance.now()) * share, target.total);
  const placed = possible.filter((m) => asg.slotOf[m]! >= 0);
  return { asg, bound: placed.length === possible.length ? target : boundOf(problem, placed, budgetMs) };
}

function toResult(problem: Problem, asg: Assignment, bound: number): ScheduleResult {
  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  let totalScore = 0;
  for (let m = 0; m < problem.nMeetings; m++) {
    const slot = asg.slotOf[m]!;
    if (slot >= 0) {
      placements.push({ meetingId: problem.meetingIds[m]!, slotId: problem.slotIds[slot]!, tableId: problem.tableIds[asg.tableOf[m]!]! });
      totalScore += problem.score[m]!;
    } else {
      const reason = problem.impossible[m] ?? (problem.fixed[m] ? UNPLACED_REASONS.fixedConflict : UNPLACED_REASONS.noRoom);
      unplaced.push({ meetingId: problem.meetingIds[m]!, reason });
    }
  }
  const lowerBound = Math.min(asg.breaks, Math.max(0, bound));
  return { placements, unplaced, totalScore, breaks: asg.breaks, lowerBound, gap: asg.breaks - lowerBound, provenOptimal: asg.breaks === lowerBound };
}

/**
 * Places a session's accepted meetings into slots and tables: every hard rule held, the placed
 * score as high as possible, then as few breaks as possible, with a proven lower bound on the
 * breaks of any schedule placing the same meetings. Pure: no I/O, seeded randomness. Local search
 * and the combinatorial bound only; scheduleSessionExact adds the exact stage.
 */
export function scheduleSession(input: ScheduleInput, options: ScheduleOptions = {}): ScheduleResult {
  const deadline = performance.now() + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const problem = compileProblem(input);
  const { asg, bound } = search(problem, options, deadline, 1);
  return toResult(problem, asg, bound.total);
}

/**
 * scheduleSession, then, given a budget of at least EXACT_STAGE_MIN_BUDGET_MS and a session small
 * enough, the exact stage (exact-stage.ts): three quarters of the budget to the local search, the
 * rest to a MIP solved by HiGHS from its schedule, which may improve it and proves a bound. Otherwise
 * the local search alone, within the same budget.
 */
export async function scheduleSessionExact(input: ScheduleInput, options: ScheduleOptions = {}): Promise<ScheduleResult> {
  const budgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const deadline = performance.now() + budgetMs;
  const problem = compileProblem(input);
  const exact = budgetMs >= EXACT_STAGE_MIN_BUDGET_MS && exactStageFits(problem);
  const { asg, bound } = search(problem, options, deadline, exact ? LOCAL_SEARCH_SHARE : 1);
  let total = bound.total;
  if (exact && asg.breaks > total) total = Math.max(total, Math.ceil((await runExactStage(asg, bound.perParticipant, deadline)) - 1e-6));
  return toResult(problem, asg, total);
}
