import { forEachPattern } from './patterns.ts';
import type { Problem } from './problem.ts';

/** A part of the schedule to solve again: `free` meetings move within their domains, every other placed meeting keeps its slot. */
export interface Neighbourhood {
  readonly free: readonly number[];
}

export interface PatternModelLimits {
  /** Per participant, patterns with more breaks than this are left to the catch-all (or out). */
  readonly maxBreaks: (participant: number) => number;
  /** Patterns per participant, and search nodes per participant. */
  readonly patternLimit: number;
  readonly nodeLimit: number;
  /** Columns in all, and a performance.now() time: past either, the model is null. */
  readonly maxColumns: number;
  readonly deadline: number;
  /**
   * Fewest breaks the participant can have at all (participantLowerBound). Given, each participant
   * whose patterns are not all listed gets a catch-all pattern standing for the rest, costed at
   * what the rest surely costs: maxBreaks + 1 when only patterns over maxBreaks were left out, this
   * floor when the limits stopped the listing. The model is then a relaxation (its optimum bounds
   * the neighbourhood's from below). Absent, a participant with patterns left out makes the model null.
   */
  readonly floor?: (participant: number) => number;
}

/** A MIP (linear, x binary): columns are meeting-slot choices, then one column per participant pattern. */
export interface PatternModel {
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: Float64Array;
  readonly colUpper: Float64Array;
  readonly integrality: Int32Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  /** Per free meeting (order of `free`): its candidate slots and their columns. */
  readonly choices: ReadonlyArray<ReadonlyArray<{ slot: number; col: number }>>;
  /** Pattern columns: the participant and the slots it then occupies among the free ones' candidates. */
  readonly patterns: ReadonlyArray<{ participant: number; col: number; slots: readonly number[] }>;
  readonly catchAll: ReadonlyArray<{ participant: number; col: number }>;
  /** Participants whose breaks the model counts (they have a free meeting and at least two meetings). */
  readonly counted: readonly number[];
  /** Every participant's pattern list is complete: the model's optimum is the neighbourhood's. */
  readonly exact: boolean;
}

interface Row {
  lo: number;
  hi: number;
  idx: number[];
  val: number[];
}

/** Columns and rows as they are added; packed into CSR at the end. */
class Builder {
  readonly colCost: number[] = [];
  readonly colUpper: number[] = [];
  readonly integrality: number[] = [];
  readonly rows: Row[] = [];

  col(cost: number, integer: boolean): number {
    this.colCost.push(cost);
    this.colUpper.push(1);
    this.integrality.push(integer ? 1 : 0);
    return this.colCost.length - 1;
  }

  row(lo: number, hi: number, idx: number[], val: number[]): void {
    this.rows.push({ lo, hi, idx, val });
  }
}

/** Slots held by kept meetings: per participant, and how many tables each slot has left. */
function keptLoad(problem: Problem, slotOf: Int32Array, isFree: Uint8Array) {
  const held = new Map<number, Uint8Array>();
  const tablesLeft = new Int32Array(problem.nSlots).fill(problem.nTables);
  const degree = new Int32Array(problem.nParticipants);
  for (let m = 0; m < problem.nMeetings; m++) {
    const s = slotOf[m]!;
    if (s < 0) continue;
    for (const q of [problem.first[m]!, problem.second[m]!]) degree[q]!++;
    if (isFree[m]) continue;
    tablesLeft[s]!--;
    for (const q of [problem.first[m]!, problem.second[m]!]) {
      if (!held.has(q)) held.set(q, new Uint8Array(problem.nSlots));
      held.get(q)![s] = 1;
    }
  }
  return { held, tablesLeft, degree };
}

interface Context {
  readonly problem: Problem;
  readonly b: Builder;
  readonly limits: PatternModelLimits;
  /** meeting * nSlots + slot → its column. */
  readonly colAt: Map<number, number>;
}

/** One participant's patterns, the row choosing one of them, and the rows tying its meetings' slots to it. */
function addParticipant(ctx: Context, q: number, meetings: readonly number[], held: Uint8Array) {
  const { problem, b, limits, colAt } = ctx;
  const allowedSlots = meetings.map((m) => Uint8Array.from({ length: problem.nSlots }, (_, s) => (colAt.has(m * problem.nSlots + s) ? 1 : 0)));
  const mine: Array<{ participant: number; col: number; slots: readonly number[] }> = [];
  const search = forEachPattern(problem, { meetings, held, allowedSlots, maxBreaks: limits.maxBreaks(q), nodeLimit: limits.nodeLimit }, (slots, breaks) => {
    mine.push({ participant: q, col: b.col(breaks, false), slots: [...slots] });
    return mine.length >= limits.patternLimit;
  });
  const complete = search.complete && !search.cutByBreaks;
  if (!complete && limits.floor === undefined) return null;
  const choose = mine.map((p) => p.col);
  let star = -1;
  if (!complete) {
    // Stopped by the limits, the rest may be as cheap as the floor; cut by breaks only, it costs more than maxBreaks.
    const truncated = !search.complete || mine.length >= limits.patternLimit;
    star = b.col(truncated ? limits.floor!(q) : Math.max(limits.maxBreaks(q) + 1, limits.floor!(q)), false);
    choose.push(star);
  }
  b.row(
    1,
    1,
    choose,
    choose.map(() => 1),
  );
  const bySlot = new Map<number, number[]>();
  for (const p of mine) for (const s of p.slots) bySlot.set(s, [...(bySlot.get(s) ?? []), p.col]);
  for (let s = 0; s < problem.nSlots; s++) {
    const xs = meetings.map((m) => colAt.get(m * problem.nSlots + s)).filter((c): c is number => c !== undefined);
    const ps = bySlot.get(s) ?? [];
    if (xs.length === 0 && ps.length === 0) continue;
    // Exactly the pattern when every pattern is listed; with a catch-all, at least the chosen one (the counts then agree).
    b.row(0, star < 0 ? 0 : Infinity, [...xs, ...ps], [...xs.map(() => 1), ...ps.map(() => -1)]);
    if (star >= 0 && xs.length > 1)
      b.row(
        -Infinity,
        1,
        xs,
        xs.map(() => 1),
      );
  }
  return { patterns: mine, catchAll: star < 0 ? [] : [{ participant: q, col: star }], complete };
}

/** Per free meeting, a binary column per slot it may take (domain, both parties free, a table left), and the row placing it once. */
function addChoices(ctx: Context, free: readonly number[], heldBy: (q: number) => Uint8Array, tablesLeft: Int32Array) {
  const { problem, b, colAt } = ctx;
  const choices = free.map((m) => {
    const list: Array<{ slot: number; col: number }> = [];
    for (const s of problem.domain[m]!) {
      if (tablesLeft[s]! <= 0 || heldBy(problem.first[m]!)[s] || heldBy(problem.second[m]!)[s]) continue;
      list.push({ slot: s, col: b.col(0, true) });
      colAt.set(m * problem.nSlots + s, list[list.length - 1]!.col);
    }
    b.row(
      1,
      1,
      list.map((c) => c.col),
      list.map(() => 1),
    );
    return list;
  });
  for (let s = 0; s < problem.nSlots; s++) {
    const cols = free.map((m) => colAt.get(m * problem.nSlots + s)).filter((c): c is number => c !== undefined);
    if (cols.length > tablesLeft[s]!)
      b.row(
        -Infinity,
        tablesLeft[s]!,
        cols,
        cols.map(() => 1),
      );
  }
  return choices;
}

/**
 * The neighbourhood as a MIP over occupancy patterns (a Dantzig–Wolfe reformulation per
 * participant): each counted participant takes exactly one pattern, its free meetings fill exactly
 * the pattern's slots, at most the tables left sit in a slot, and the objective is the sum of the
 * patterns' breaks. Tables count as a number per slot, which is exact when they are alike and a
 * relaxation when interpreters restrict them. Null past the limits (or when a participant has
 * patterns left out and no floor is given).
 */
export function buildPatternModel(problem: Problem, slotOf: Int32Array, hood: Neighbourhood, limits: PatternModelLimits): PatternModel | null {
  const isFree = new Uint8Array(problem.nMeetings);
  for (const m of hood.free) isFree[m] = 1;
  const { held, tablesLeft, degree } = keptLoad(problem, slotOf, isFree);
  const none = new Uint8Array(problem.nSlots);
  const heldBy = (q: number) => held.get(q) ?? none;
  const ctx: Context = { problem, b: new Builder(), limits, colAt: new Map() };
  const choices = addChoices(ctx, hood.free, heldBy, tablesLeft);
  const freeOf = new Map<number, number[]>();
  for (const m of hood.free) for (const q of [problem.first[m]!, problem.second[m]!]) freeOf.set(q, [...(freeOf.get(q) ?? []), m]);
  const patterns: PatternModel['patterns'][number][] = [];
  const catchAll: PatternModel['catchAll'][number][] = [];
  const counted: number[] = [];
  let exact = true;
  // A participant with one meeting in all has no breaks: nothing to count.
  for (const [q, meetings] of freeOf) {
    if (degree[q]! < 2) continue;
    const added = addParticipant(ctx, q, meetings, heldBy(q));
    if (added === null || ctx.b.colCost.length > limits.maxColumns || performance.now() > limits.deadline) return null;
    counted.push(q);
    patterns.push(...added.patterns);
    catchAll.push(...added.catchAll);
    exact &&= added.complete;
  }
  return pack(ctx.b, { choices, patterns, catchAll, counted, exact });
}

function pack(b: Builder, parts: Pick<PatternModel, 'choices' | 'patterns' | 'catchAll' | 'counted' | 'exact'>): PatternModel {
  const starts = new Int32Array(b.rows.length + 1);
  const nnz = b.rows.reduce((sum, r) => sum + r.idx.length, 0);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  b.rows.forEach((r, i) => {
    indices.set(r.idx, at);
    values.set(r.val, at);
    at += r.idx.length;
    starts[i + 1] = at;
  });
  return {
    ...parts,
    numCols: b.colCost.length,
    numRows: b.rows.length,
    colCost: Float64Array.from(b.colCost),
    colUpper: Float64Array.from(b.colUpper),
    integrality: Int32Array.from(b.integrality),
    rowLower: Float64Array.from(b.rows, (r) => r.lo),
    rowUpper: Float64Array.from(b.rows, (r) => r.hi),
    starts,
    indices,
    values,
  };
}

/** The current schedule as a start for the model: its slots for the free meetings and the matching patterns. */
export function startFromSchedule(problem: Problem, model: PatternModel, hood: Neighbourhood, slotOf: Int32Array): Float64Array | null {
  const start = new Float64Array(model.numCols);
  for (const [i, m] of hood.free.entries()) {
    const choice = model.choices[i]!.find((c) => c.slot === slotOf[m]);
    if (!choice) return null;
    start[choice.col] = 1;
  }
  const occupied = new Map<number, Set<number>>();
  for (const m of hood.free) for (const q of [problem.first[m]!, problem.second[m]!]) occupied.set(q, (occupied.get(q) ?? new Set()).add(slotOf[m]!));
  const covered = new Set<number>();
  for (const p of model.patterns) {
    const mine = occupied.get(p.participant)!;
    if (p.slots.length === mine.size && p.slots.every((s) => mine.has(s))) {
      start[p.col] = 1;
      covered.add(p.participant);
    }
  }
  for (const c of model.catchAll) if (!covered.has(c.participant)) start[c.col] = 1;
  return model.counted.every((q) => covered.has(q) || model.catchAll.some((c) => c.participant === q)) ? start : null;
}
