import type { Problem } from './problem.ts';

/** One participant's question: where can these meetings of its go, around the slots it already holds? */
export interface PatternQuery {
  /** Its meetings to place, each within its allowed slots and on distinct slots. */
  readonly meetings: readonly number[];
  /** slot → 1 where another (kept) meeting of the participant already sits. */
  readonly held: Uint8Array;
  /** Per meeting of `meetings` (same order): 1 where it may go; the problem's domain when absent. */
  readonly allowedSlots?: readonly Uint8Array[];
  /** Patterns with more breaks than this are not visited. */
  readonly maxBreaks: number;
  /** Search nodes before giving up; keeps huge participants from stalling a call. */
  readonly nodeLimit: number;
}

export interface PatternSearch {
  /** Every pattern within maxBreaks was visited (none skipped for the node limit, none left when stopped). */
  readonly complete: boolean;
  /** Some pattern was skipped only because it had more than maxBreaks breaks. */
  readonly cutByBreaks: boolean;
  readonly stopped: boolean;
}

/** slot → 1 when some meeting of the list may take it (and the participant does not hold it already). */
function candidateSlots(problem: Problem, query: PatternQuery): Uint8Array {
  const candidate = new Uint8Array(problem.nSlots);
  query.meetings.forEach((m, i) => {
    const mask = query.allowedSlots?.[i];
    for (const s of problem.domain[m]!) if (!query.held[s] && (mask === undefined || mask[s])) candidate[s] = 1;
  });
  return candidate;
}

/** Kuhn's augmenting paths: can every meeting take its own slot of `slots`, within what it may take? */
export function meetingsFit(problem: Problem, meetings: readonly number[], slots: readonly number[], allowedSlots?: readonly Uint8Array[]): boolean {
  if (slots.length !== meetings.length) return false;
  const owner = new Int32Array(slots.length).fill(-1);
  const may = (i: number, s: number) => problem.allowed[meetings[i]! * problem.nSlots + s] === 1 && (allowedSlots?.[i]?.[s] ?? 1) === 1;
  const augment = (i: number, seen: Uint8Array): boolean => {
    for (let j = 0; j < slots.length; j++) {
      if (seen[j] || !may(i, slots[j]!)) continue;
      seen[j] = 1;
      if (owner[j]! < 0 || augment(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < meetings.length; i++) if (!augment(i, new Uint8Array(slots.length))) return false;
  return true;
}

/**
 * Visits each occupancy pattern of one participant: a choice of distinct slots for `meetings` (a
 * perfect matching into them must exist) next to the slots it holds, with its breaks over all days
 * (idle gaps between the first and last occupied slot of a day). Depth-first over slots in order,
 * cut as soon as the breaks exceed maxBreaks. `visit` returns true to stop.
 */
export function forEachPattern(problem: Problem, query: PatternQuery, visit: (slots: readonly number[], breaks: number) => boolean): PatternSearch {
  const n = problem.nSlots;
  const candidate = candidateSlots(problem, query);
  const candidatesFrom = new Int32Array(n + 1);
  for (let s = n - 1; s >= 0; s--) candidatesFrom[s] = candidatesFrom[s + 1]! + candidate[s]!;
  const chosen: number[] = [];
  let nodes = 0;
  let cutByBreaks = false;
  let truncated = false;
  let stopped = false;
  // seen: the day has an occupied slot so far; gap: an idle slot followed it.
  const walk = (s: number, need: number, seen: boolean, gap: boolean, breaks: number): void => {
    if (stopped || truncated) return;
    if (breaks > query.maxBreaks) {
      cutByBreaks = true;
      return;
    }
    if (++nodes > query.nodeLimit) {
      truncated = true;
      return;
    }
    if (need > candidatesFrom[s]!) return;
    if (s === n) {
      if (meetingsFit(problem, query.meetings, chosen, query.allowedSlots)) stopped = visit(chosen, breaks);
      return;
    }
    const newDay = s > 0 && problem.slotDay[s] !== problem.slotDay[s - 1];
    const dSeen = newDay ? false : seen;
    const dGap = newDay ? false : gap;
    // Occupying this slot closes an open gap: one more break.
    const occupied = breaks + (dSeen && dGap ? 1 : 0);
    if (query.held[s]) return walk(s + 1, need, true, false, occupied);
    if (candidate[s] && need > 0) {
      chosen.push(s);
      walk(s + 1, need - 1, true, false, occupied);
      chosen.pop();
    }
    walk(s + 1, need, dSeen, dSeen, breaks);
  };
  walk(0, query.meetings.length, false, false, 0);
  return { complete: !truncated && !stopped, cutByBreaks, stopped };
}
