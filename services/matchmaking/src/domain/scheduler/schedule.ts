import { Assignment } from './assignment.ts';
import { placeGreedily } from './greedy.ts';
import { improve } from './local-search.ts';
import { compileProblem } from './problem.ts';
import { seededRandom } from './random.ts';
import { UNPLACED_REASONS, type Placement, type ScheduleInput, type ScheduleOptions, type ScheduleResult, type Unplaced } from './types.ts';

export const DEFAULT_TIME_BUDGET_MS = 2000;

/**
 * Places a session's accepted meetings into slots and tables: every hard rule held, the placed
 * score as high as possible, then as few breaks as possible. Pure: no I/O, seeded randomness.
 */
export function scheduleSession(input: ScheduleInput, options: ScheduleOptions = {}): ScheduleResult {
  const problem = compileProblem(input);
  const random = seededRandom(options.seed ?? 1);
  const initial = new Assignment(problem);
  placeGreedily(initial);
  const asg = improve(initial, random, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
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
  return { placements, unplaced, totalScore, breaks: asg.breaks };
}
