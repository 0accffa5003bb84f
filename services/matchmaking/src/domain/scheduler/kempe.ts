import type { Assignment } from './assignment.ts';

/** Chains longer than this are not tried: they change most of two slots at once. */
const MAX_CHAIN = 48;

/**
 * A Kempe chain interchange between the meeting's slot and another slot of its day: the meeting
 * moves, the meetings of its participants in the other slot move back, theirs in turn, and so on
 * until the chain closes. No participant is ever double-booked, and a participant in the middle of
 * the chain keeps its day: only the chain's ends change, which is how a gap travels to where it
 * closes. The slot counts change by the chain's imbalance, so it works even when tables are short.
 */
export function tryKempe(asg: Assignment, m: number, random: () => number): boolean {
  const p = asg.problem;
  const s1 = asg.slotOf[m]!;
  if (s1 < 0) return false;
  const day = p.slotDay[s1]!;
  const span = p.dayEnd[day]! - p.dayStart[day]!;
  if (span < 2) return false;
  let s2 = p.dayStart[day]! + Math.floor(random() * (span - 1));
  if (s2 >= s1) s2++;
  const chain = [m];
  const inChain = new Set(chain);
  for (let i = 0; i < chain.length; i++) {
    const x = chain[i]!;
    if (p.fixed[x]) return false;
    const other = asg.slotOf[x] === s1 ? s2 : s1;
    if (p.allowed[x * p.nSlots + other] !== 1) return false;
    for (const q of [p.first[x]!, p.second[x]!]) {
      const y = asg.meetingOf(q, other);
      if (y < 0 || inChain.has(y)) continue;
      if (chain.length >= MAX_CHAIN) return false;
      chain.push(y);
      inChain.add(y);
    }
  }
  const target = chain.map((x) => (asg.slotOf[x] === s1 ? s2 : s1));
  for (const x of chain) asg.remove(x);
  for (const [i, x] of chain.entries()) {
    const table = asg.freeTable(x, target[i]!);
    if (table < 0) return false;
    asg.place(x, target[i]!, table);
  }
  return true;
}
