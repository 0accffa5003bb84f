import { Assignment } from './assignment.ts';
import { tryKempe } from './kempe.ts';
import { KEMPE, MOVE, MoveMix, SWAP } from './move-mix.ts';
import { pick } from './random.ts';

const START_TEMPERATURE = 2;
const END_TEMPERATURE = 0.05;
/** Share of moves aimed next to a partner's other meeting rather than at any allowed slot. */
const NEIGHBOUR_MOVES = 0.6;

interface Snapshot {
  readonly slotOf: Int32Array;
  readonly tableOf: Int32Array;
  readonly penalty: number;
  readonly breaks: number;
}

function snapshot(asg: Assignment): Snapshot {
  return { slotOf: asg.slotOf.slice(), tableOf: asg.tableOf.slice(), penalty: asg.penalty, breaks: asg.breaks };
}

function better(asg: Assignment, best: Snapshot): boolean {
  if (asg.penalty < best.penalty - 1e-9) return true;
  return asg.penalty <= best.penalty + 1e-9 && asg.breaks < best.breaks;
}

/** Where an ejected meeting goes back without ejecting anyone: next to its participants' meetings if it can. */
function reinsert(asg: Assignment, m: number, random: () => number): void {
  const p = asg.problem;
  const a = p.first[m]!;
  const b = p.second[m]!;
  const domain = p.domain[m]!;
  let bestSlot = -1;
  let bestNeighbours = -1;
  const offset = Math.floor(random() * domain.length);
  for (let i = 0; i < domain.length; i++) {
    const s = domain[(i + offset) % domain.length]!;
    if (asg.meetingOf(a, s) >= 0 || asg.meetingOf(b, s) >= 0) continue;
    let neighbours = 0;
    for (const n of [s - 1, s + 1]) {
      if (n < 0 || n >= p.nSlots || p.slotDay[n] !== p.slotDay[s]) continue;
      if (asg.meetingOf(a, n) >= 0) neighbours++;
      if (asg.meetingOf(b, n) >= 0) neighbours++;
    }
    if (neighbours <= bestNeighbours || !p.tables[m]!.some((t) => asg.occupant(s, t) < 0)) continue;
    bestSlot = s;
    bestNeighbours = neighbours;
  }
  if (bestSlot < 0) return;
  const table = asg.freeTable(m, bestSlot);
  if (table >= 0) asg.place(m, bestSlot, table);
}

/** Move one meeting to a slot, ejecting what stands in the way and putting it back elsewhere. */
function tryMove(asg: Assignment, m: number, slot: number, random: () => number): boolean {
  const p = asg.problem;
  if (asg.slotOf[m]! >= 0) asg.remove(m);
  const ejected: number[] = [];
  for (const x of [p.first[m]!, p.second[m]!]) {
    const q = asg.meetingOf(x, slot);
    if (q < 0) continue;
    if (p.fixed[q]) return false;
    asg.remove(q);
    ejected.push(q);
  }
  let table = asg.freeTable(m, slot);
  if (table < 0) {
    table = pick(p.tables[m]!, random) ?? -1;
    const q = table < 0 ? -1 : asg.occupant(slot, table);
    if (q < 0 || p.fixed[q]) return false;
    asg.remove(q);
    ejected.push(q);
  }
  asg.place(m, slot, table);
  for (const q of ejected) reinsert(asg, q, random);
  return true;
}

/**
 * Two meetings of one participant trade slots: that participant's day is unchanged, the two
 * partners' days change — the only kind of move left when a participant's day is full.
 */
function trySwap(asg: Assignment, m: number, random: () => number): boolean {
  const p = asg.problem;
  const s1 = asg.slotOf[m]!;
  if (s1 < 0 || p.fixed[m]) return false;
  const x = random() < 0.5 ? p.first[m]! : p.second[m]!;
  const day = p.slotDay[s1]!;
  const span = p.dayEnd[day]! - p.dayStart[day]!;
  const s2 = p.dayStart[day]! + Math.floor(random() * span);
  const other = asg.meetingOf(x, s2);
  if (other < 0 || other === m || p.fixed[other] || p.allowed[m * p.nSlots + s2] !== 1 || p.allowed[other * p.nSlots + s1] !== 1) return false;
  const partner = (meeting: number) => (p.first[meeting] === x ? p.second[meeting]! : p.first[meeting]!);
  if (asg.meetingOf(partner(m), s2) >= 0 || asg.meetingOf(partner(other), s1) >= 0) return false;
  asg.remove(m);
  asg.remove(other);
  const t1 = asg.freeTable(m, s2);
  if (t1 < 0) return false;
  asg.place(m, s2, t1);
  const t2 = asg.freeTable(other, s1);
  if (t2 < 0) return false;
  asg.place(other, s1, t2);
  return true;
}

/**
 * A slot next to another meeting of one of the pair's participants (same day, allowed): moves
 * there close gaps far more often than a slot drawn at random.
 */
function slotNextToPartner(asg: Assignment, m: number, random: () => number): number {
  const p = asg.problem;
  const x = random() < 0.5 ? p.first[m]! : p.second[m]!;
  const current = asg.slotOf[m]!;
  const day = current >= 0 ? p.slotDay[current]! : p.slotDay[pick(p.domain[m]!, random)!]!;
  const options: number[] = [];
  for (let s = p.dayStart[day]!; s < p.dayEnd[day]!; s++) {
    const other = asg.meetingOf(x, s);
    if (other < 0 || other === m) continue;
    for (const n of [s - 1, s + 1]) {
      if (n >= p.dayStart[day]! && n < p.dayEnd[day]! && n !== current && p.allowed[m * p.nSlots + n] === 1) options.push(n);
    }
  }
  return pick(options, random) ?? pick(p.domain[m]!, random)!;
}

/**
 * Simulated annealing over conflict-free schedules: cost = breaks + a large, score-weighted
 * penalty per unplaced meeting, so placing (high scores first) always beats compactness. Moves:
 * a meeting to another slot (ejecting what is in the way), two meetings of a participant trading
 * slots, and Kempe chain interchanges between two slots, drawn in the mix that has paid lately
 * (move-mix.ts). Stops at the budget, or once every meeting is placed with no more than
 * `targetBreaks` breaks (a proven lower bound).
 */
export function improve(asg: Assignment, random: () => number, budgetMs: number, targetBreaks = 0): Assignment {
  const p = asg.problem;
  const started = performance.now();
  if (budgetMs <= 0) return asg;
  let best = snapshot(asg);
  let temperature = START_TEMPERATURE;
  // Meetings nothing can place keep their penalty for good: "all placed" means only they are left.
  let floorPenalty = 1e-9;
  for (let m = 0; m < p.nMeetings; m++) if (p.impossible[m] !== null) floorPenalty += p.penalty[m]!;
  const movable = Array.from({ length: p.nMeetings }, (_, m) => m).filter((m) => p.impossible[m] === null && p.domain[m]!.length > 1);
  if (movable.length === 0 && asg.unplaced.length === 0) return asg;
  const mix = new MoveMix();
  for (let iteration = 0; ; iteration++) {
    if ((iteration & 255) === 0) {
      const share = (performance.now() - started) / budgetMs;
      if (share >= 1 || (best.penalty < floorPenalty && best.breaks <= targetBreaks)) break;
      temperature = START_TEMPERATURE * Math.pow(END_TEMPERATURE / START_TEMPERATURE, share);
    }
    const fromUnplaced = asg.unplaced.length > 0 && random() < 0.5;
    const m = fromUnplaced ? pick(asg.unplaced, random)! : (pick(movable, random) ?? -1);
    if (m < 0 || p.impossible[m] !== null || (p.fixed[m] && asg.slotOf[m]! >= 0)) continue;
    const kind = asg.slotOf[m]! >= 0 ? mix.draw(random) : MOVE;
    const slot = kind !== MOVE ? -1 : random() < NEIGHBOUR_MOVES ? slotNextToPartner(asg, m, random) : pick(p.domain[m]!, random)!;
    if (slot === asg.slotOf[m]) continue;
    const penaltyBefore = asg.penalty;
    asg.begin();
    const moved = kind === KEMPE ? tryKempe(asg, m, random) : kind === SWAP ? trySwap(asg, m, random) : tryMove(asg, m, slot, random);
    const breaksDelta = asg.settleBreaks();
    const delta = breaksDelta + asg.penalty - penaltyBefore;
    mix.record(kind, moved && delta < 0);
    if (!moved || (delta > 0 && random() >= Math.exp(-delta / temperature))) {
      asg.rollback(breaksDelta);
      continue;
    }
    if (better(asg, best)) best = snapshot(asg);
  }
  return restore(asg, best);
}

function restore(asg: Assignment, best: Snapshot): Assignment {
  const fresh = new Assignment(asg.problem);
  fresh.begin();
  for (let m = 0; m < best.slotOf.length; m++) if (best.slotOf[m]! >= 0) fresh.place(m, best.slotOf[m]!, best.tableOf[m]!);
  fresh.settleBreaks();
  return fresh;
}
