import type { Problem } from './problem.ts';

/**
 * A conflict-free partial schedule with an undo journal: a local-search move changes it, reads
 * the change of cost, and is kept or rolled back. Never holds a participant or a table twice.
 */
export class Assignment {
  readonly slotOf: Int32Array;
  readonly tableOf: Int32Array;
  /** participant * nSlots + slot → meeting, or -1 */
  private readonly busy: Int32Array;
  /** slot * nTables + table → meeting, or -1 */
  private readonly seat: Int32Array;
  private readonly unplacedAt: Int32Array;
  private readonly seated: Int32Array;
  readonly unplaced: number[] = [];
  breaks = 0;
  penalty = 0;
  private readonly ops: number[] = [];
  private readonly touched = new Map<number, number>();

  constructor(readonly problem: Problem) {
    const p = problem;
    this.slotOf = new Int32Array(p.nMeetings).fill(-1);
    this.tableOf = new Int32Array(p.nMeetings).fill(-1);
    this.busy = new Int32Array(p.nParticipants * p.nSlots).fill(-1);
    this.seat = new Int32Array(p.nSlots * p.nTables).fill(-1);
    this.unplacedAt = new Int32Array(p.nMeetings);
    this.seated = new Int32Array(p.nSlots);
    for (let m = 0; m < p.nMeetings; m++) {
      this.unplacedAt[m] = this.unplaced.length;
      this.unplaced.push(m);
      this.penalty += p.penalty[m]!;
    }
  }

  meetingOf(participant: number, slot: number): number {
    return this.busy[participant * this.problem.nSlots + slot]!;
  }

  occupant(slot: number, table: number): number {
    return this.seat[slot * this.problem.nTables + table]!;
  }

  /** Idle gaps between the participant's first and last meeting of the day. */
  breaksOf(participant: number, day: number): number {
    const base = participant * this.problem.nSlots;
    let seen = false;
    let gap = false;
    let breaks = 0;
    for (let s = this.problem.dayStart[day]!; s < this.problem.dayEnd[day]!; s++) {
      if (this.busy[base + s]! >= 0) {
        if (gap) breaks++;
        seen = true;
        gap = false;
      } else if (seen) gap = true;
    }
    return breaks;
  }

  private touch(participant: number, slot: number): void {
    const key = participant * this.problem.dayStart.length + this.problem.slotDay[slot]!;
    if (!this.touched.has(key)) this.touched.set(key, this.breaksOf(participant, this.problem.slotDay[slot]!));
  }

  place(m: number, slot: number, table: number): void {
    const p = this.problem;
    this.touch(p.first[m]!, slot);
    this.touch(p.second[m]!, slot);
    this.busy[p.first[m]! * p.nSlots + slot] = m;
    this.busy[p.second[m]! * p.nSlots + slot] = m;
    this.seat[slot * p.nTables + table] = m;
    this.seated[slot]!++;
    this.slotOf[m] = slot;
    this.tableOf[m] = table;
    const at = this.unplacedAt[m]!;
    const last = this.unplaced.pop()!;
    if (last !== m) {
      this.unplaced[at] = last;
      this.unplacedAt[last] = at;
    }
    this.penalty -= p.penalty[m]!;
    this.ops.push(m, -1, -1);
  }

  remove(m: number): void {
    const p = this.problem;
    const slot = this.slotOf[m]!;
    const table = this.tableOf[m]!;
    this.touch(p.first[m]!, slot);
    this.touch(p.second[m]!, slot);
    this.busy[p.first[m]! * p.nSlots + slot] = -1;
    this.busy[p.second[m]! * p.nSlots + slot] = -1;
    this.seat[slot * p.nTables + table] = -1;
    this.seated[slot]!--;
    this.slotOf[m] = -1;
    this.tableOf[m] = -1;
    this.unplacedAt[m] = this.unplaced.length;
    this.unplaced.push(m);
    this.penalty += p.penalty[m]!;
    this.ops.push(m, slot, table);
  }

  /** A free table serving the meeting at the slot, moving one seated meeting to another table if that frees one. */
  freeTable(m: number, slot: number): number {
    if (this.seated[slot]! >= this.problem.nTables) return -1;
    const tables = this.problem.tables[m]!;
    for (const t of tables) if (this.occupant(slot, t) < 0) return t;
    for (const t of tables) {
      const other = this.occupant(slot, t);
      for (const u of this.problem.tables[other]!) {
        if (this.occupant(slot, u) < 0) {
          this.remove(other);
          this.place(other, slot, u);
          return t;
        }
      }
    }
    return -1;
  }

  /** Start a move: later changes are journalled. */
  begin(): void {
    this.ops.length = 0;
    this.touched.clear();
  }

  /** Change of total breaks since begin(), and folds it into the running total. */
  settleBreaks(): number {
    let delta = 0;
    const days = this.problem.dayStart.length;
    for (const [key, before] of this.touched) delta += this.breaksOf(Math.floor(key / days), key % days) - before;
    this.touched.clear();
    this.breaks += delta;
    return delta;
  }

  /** Undo every change since begin() (call settleBreaks() first: the break total is restored too). */
  rollback(breaksDelta: number): void {
    for (let i = this.ops.length - 3; i >= 0; i -= 3) {
      const m = this.ops[i]!;
      const slot = this.ops[i + 1]!;
      const table = this.ops[i + 2]!;
      if (slot < 0) this.remove(m);
      else this.place(m, slot, table);
    }
    this.ops.length = 0;
    this.touched.clear();
    this.breaks -= breaksDelta;
  }
}
