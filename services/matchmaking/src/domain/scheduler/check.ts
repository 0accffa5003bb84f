import type { ScheduleInput, ScheduleResult } from './types.ts';

export interface CheckReport {
  readonly ok: boolean;
  readonly violations: readonly string[];
  readonly placed: number;
  readonly totalScore: number;
  /** Recounted from the placements: idle gaps between each participant's first and last meeting of a day. */
  readonly breaks: number;
}

/**
 * Verifies a schedule against the raw input, sharing no code with the scheduler: every meeting
 * placed or reported once, slots and tables exist, sessions, availability and fixed slots held,
 * no participant or table twice in a slot, and the language rule of each table.
 */
export function checkSchedule(input: ScheduleInput, result: ScheduleResult): CheckReport {
  const violations: string[] = [];
  const slots = new Map(input.slots.map((s) => [s.id, s]));
  const tables = new Map(input.tables.map((t) => [t.id, t]));
  const people = new Map(input.participants.map((p) => [p.id, p]));
  const meetings = new Map(input.meetings.map((m) => [m.id, m]));
  const seen = new Set<string>();
  const personAt = new Set<string>();
  const tableAt = new Set<string>();
  let totalScore = 0;
  for (const placement of result.placements) {
    const meeting = meetings.get(placement.meetingId);
    const slot = slots.get(placement.slotId);
    const table = tables.get(placement.tableId);
    const where = `meeting ${placement.meetingId}`;
    if (!meeting || !slot || !table) {
      violations.push(`${where}: unknown meeting, slot or table`);
      continue;
    }
    if (seen.has(meeting.id)) violations.push(`${where}: placed twice`);
    seen.add(meeting.id);
    totalScore += meeting.score;
    if (meeting.sessions && !meeting.sessions.includes(slot.session)) violations.push(`${where}: slot ${slot.id} is outside its sessions`);
    if (meeting.fixedSlot !== undefined && meeting.fixedSlot !== slot.id) violations.push(`${where}: not at its fixed slot ${meeting.fixedSlot}`);
    const tableKey = `${slot.id}\u0000${table.id}`;
    if (tableAt.has(tableKey)) violations.push(`${where}: table ${table.id} already used in slot ${slot.id}`);
    tableAt.add(tableKey);
    const pair = meeting.participants.map((id) => people.get(id));
    for (const [i, person] of pair.entries()) {
      if (!person) {
        violations.push(`${where}: unknown participant ${meeting.participants[i]}`);
        continue;
      }
      if (person.unavailable.includes(slot.id)) violations.push(`${where}: ${person.id} is not available in slot ${slot.id}`);
      const personKey = `${slot.id}\u0000${person.id}`;
      if (personAt.has(personKey)) violations.push(`${where}: ${person.id} has two meetings in slot ${slot.id}`);
      personAt.add(personKey);
    }
    const [x, y] = pair;
    if (x && y && x.languages.length > 0 && y.languages.length > 0 && !x.languages.some((l) => y.languages.includes(l))) {
      const interprets = table.languages.some((l) => x.languages.includes(l)) && table.languages.some((l) => y.languages.includes(l));
      if (!interprets) violations.push(`${where}: no common language and table ${table.id} has no interpreter for the pair`);
    }
  }
  for (const u of result.unplaced) {
    if (!meetings.has(u.meetingId)) violations.push(`unplaced meeting ${u.meetingId} is unknown`);
    else if (seen.has(u.meetingId)) violations.push(`meeting ${u.meetingId} is both placed and unplaced`);
    seen.add(u.meetingId);
  }
  for (const id of meetings.keys()) if (!seen.has(id)) violations.push(`meeting ${id} is neither placed nor reported unplaced`);
  return { ok: violations.length === 0, violations, placed: result.placements.length, totalScore, breaks: countBreaks(input, result) };
}

function countBreaks(input: ScheduleInput, result: ScheduleResult): number {
  const slots = new Map(input.slots.map((s) => [s.id, s]));
  const meetings = new Map(input.meetings.map((m) => [m.id, m]));
  const byPersonDay = new Map<string, number[]>();
  for (const placement of result.placements) {
    const slot = slots.get(placement.slotId);
    const meeting = meetings.get(placement.meetingId);
    if (!slot || !meeting) continue;
    const dayOrder = input.slots
      .filter((s) => s.day === slot.day)
      .map((s) => s.order)
      .sort((a, b) => a - b);
    const position = dayOrder.indexOf(slot.order);
    for (const person of meeting.participants) {
      const key = `${person}\u0000${slot.day}`;
      byPersonDay.set(key, [...(byPersonDay.get(key) ?? []), position]);
    }
  }
  let breaks = 0;
  for (const positions of byPersonDay.values()) {
    const sorted = [...new Set(positions)].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! > 1) breaks++;
  }
  return breaks;
}
