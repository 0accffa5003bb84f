import type { Assignment } from './assignment.ts';
import type { Problem } from './problem.ts';

/** Hardest first: fixed meetings, then those with the fewest allowed slots and the busiest participants. */
export function placementOrder(problem: Problem): number[] {
  const degree = new Int32Array(problem.nParticipants);
  for (let m = 0; m < problem.nMeetings; m++) {
    degree[problem.first[m]!]!++;
    degree[problem.second[m]!]!++;
  }
  const load = (m: number) => Math.max(degree[problem.first[m]!]!, degree[problem.second[m]!]!);
  return Array.from({ length: problem.nMeetings }, (_, m) => m)
    .filter((m) => problem.impossible[m] === null)
    .sort(
      (x, y) =>
        problem.fixed[y]! - problem.fixed[x]! ||
        problem.domain[x]!.length - problem.domain[y]!.length ||
        load(y) - load(x) ||
        problem.score[y]! - problem.score[x]!,
    );
}

/** The cheapest slot for one meeting given what is placed: fewest new breaks, then earliest. */
function bestSlot(asg: Assignment, m: number): { slot: number; table: number } | null {
  const p = asg.problem;
  let best: { slot: number; table: number; cost: number } | null = null;
  for (const slot of p.domain[m]!) {
    if (asg.meetingOf(p.first[m]!, slot) >= 0 || asg.meetingOf(p.second[m]!, slot) >= 0) continue;
    asg.begin();
    const table = asg.freeTable(m, slot);
    if (table < 0) {
      asg.rollback(0);
      continue;
    }
    asg.place(m, slot, table);
    const delta = asg.settleBreaks();
    const cost = delta + slot * 1e-4;
    asg.rollback(delta);
    if (best === null || cost < best.cost) best = { slot, table, cost };
  }
  return best;
}

/** Constructive placement; what does not fit stays unplaced for the local search to repair. */
export function placeGreedily(asg: Assignment): void {
  for (const m of placementOrder(asg.problem)) {
    const choice = bestSlot(asg, m);
    if (choice === null) continue;
    asg.begin();
    // The table may have needed a shift in the trial; look it up again on the real state.
    const table = asg.freeTable(m, choice.slot);
    asg.place(m, choice.slot, table);
    asg.settleBreaks();
  }
}
