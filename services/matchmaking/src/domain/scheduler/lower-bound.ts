import { forEachPattern } from './patterns.ts';
import type { Problem } from './problem.ts';

/** Beyond this many breaks for one participant the search stops and claims only this many. */
const MAX_BREAKS_SEARCHED = 6;
/** Search nodes per participant and level; past it the level counts as possible (the bound stays valid). */
const NODE_LIMIT = 20_000;

/**
 * Fewest breaks one participant can have if the rest of the session did not exist: its meetings
 * (each within the slots its sessions, fixed slot and both parties' availability allow) on
 * distinct slots, as few idle gaps as possible between the first and last meeting of each day.
 * Other participants and tables can only add breaks, so the sum over participants bounds every
 * schedule of these meetings from below. Levels 0, 1, 2… are tried in turn; a level the search
 * cannot settle within its node limit is claimed, which keeps the bound valid.
 */
export function participantLowerBound(problem: Problem, meetings: readonly number[]): number {
  if (meetings.length <= 1) return 0;
  const held = new Uint8Array(problem.nSlots);
  for (let breaks = 0; breaks < MAX_BREAKS_SEARCHED; breaks++) {
    const search = forEachPattern(problem, { meetings, held, maxBreaks: breaks, nodeLimit: NODE_LIMIT }, () => true);
    if (search.stopped || !search.complete) return breaks;
  }
  return MAX_BREAKS_SEARCHED;
}

/** Per participant: the meetings of `placed` it takes part in. */
export function meetingsByParticipant(problem: Problem, placed: readonly number[]): number[][] {
  const by: number[][] = Array.from({ length: problem.nParticipants }, () => []);
  for (const m of placed) {
    by[problem.first[m]!]!.push(m);
    by[problem.second[m]!]!.push(m);
  }
  return by;
}

/**
 * A lower bound on the breaks of any schedule that places exactly the meetings `placed`.
 * Participants not reached by `deadline` (performance.now() time) count 0, which keeps it valid.
 */
export function breaksLowerBound(problem: Problem, placed: readonly number[], deadline = Infinity): { total: number; perParticipant: number[] } {
  const perParticipant = meetingsByParticipant(problem, placed).map((ms) => (performance.now() < deadline ? participantLowerBound(problem, ms) : 0));
  return { total: perParticipant.reduce((a, b) => a + b, 0), perParticipant };
}
