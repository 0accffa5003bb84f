import { tableServesPair } from './languages.ts';
import { UNPLACED_REASONS, type ScheduleInput } from './types.ts';

/** The input as dense arrays: slots sorted by day and order, everything addressed by index. */
export interface Problem {
  readonly nSlots: number;
  readonly nTables: number;
  readonly nParticipants: number;
  readonly nMeetings: number;
  readonly slotIds: readonly string[];
  readonly tableIds: readonly string[];
  readonly meetingIds: readonly string[];
  readonly slotDay: Int32Array;
  readonly dayStart: readonly number[];
  readonly dayEnd: readonly number[];
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly score: Float64Array;
  /** Cost of leaving a meeting out, in break units: far above any break saving, higher for higher scores. */
  readonly penalty: Float64Array;
  readonly fixed: Uint8Array;
  /** Per meeting: the slots its sessions, fixed slot and both participants' availability allow. */
  readonly domain: readonly Int32Array[];
  /** meeting * nSlots + slot → 1 when the slot is in the meeting's domain. */
  readonly allowed: Uint8Array;
  /** Per meeting: the tables that serve the pair, plain tables first so interpreters stay free. */
  readonly tables: readonly Int32Array[];
  /** Per meeting: why it cannot be placed whatever the others do, or null. */
  readonly impossible: readonly (string | null)[];
}

const UNPLACED_WEIGHT = 50;

function sortedSlots(input: ScheduleInput) {
  return [...input.slots].sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : x.order - y.order));
}

export function compileProblem(input: ScheduleInput): Problem {
  const slots = sortedSlots(input);
  const slotIndex = new Map(slots.map((s, i) => [s.id, i]));
  const slotDay = new Int32Array(slots.length);
  const dayStart: number[] = [];
  const dayEnd: number[] = [];
  slots.forEach((slot, i) => {
    if (i === 0 || slots[i - 1]!.day !== slot.day) {
      dayStart.push(i);
      dayEnd.push(i + 1);
    } else dayEnd[dayEnd.length - 1] = i + 1;
    slotDay[i] = dayStart.length - 1;
  });
  const participantIndex = new Map(input.participants.map((p, i) => [p.id, i]));
  const tablesByPlainness = input.tables.map((t, i) => ({ t, i })).sort((x, y) => x.t.languages.length - y.t.languages.length);
  const n = input.meetings.length;
  const first = new Int32Array(n);
  const second = new Int32Array(n);
  const score = new Float64Array(n);
  const penalty = new Float64Array(n);
  const fixed = new Uint8Array(n);
  const domain: Int32Array[] = [];
  const tables: Int32Array[] = [];
  const impossible: (string | null)[] = [];
  const maxScore = Math.max(1e-9, ...input.meetings.map((m) => m.score));
  input.meetings.forEach((meeting, m) => {
    const a = participantIndex.get(meeting.participants[0]);
    const b = participantIndex.get(meeting.participants[1]);
    score[m] = meeting.score;
    penalty[m] = UNPLACED_WEIGHT * (0.1 + meeting.score / maxScore);
    fixed[m] = meeting.fixedSlot === undefined ? 0 : 1;
    if (a === undefined || b === undefined || a === b) {
      first[m] = 0;
      second[m] = 0;
      domain.push(new Int32Array(0));
      tables.push(new Int32Array(0));
      impossible.push(UNPLACED_REASONS.unknownParticipant);
      return;
    }
    first[m] = a;
    second[m] = b;
    const pa = input.participants[a]!;
    const pb = input.participants[b]!;
    const blocked = new Set([...pa.unavailable, ...pb.unavailable]);
    const allowed = slots
      .map((slot, i) => ({ slot, i }))
      .filter(({ slot }) => !blocked.has(slot.id) && (meeting.sessions === undefined || meeting.sessions.includes(slot.session)))
      .filter(({ slot }) => meeting.fixedSlot === undefined || slot.id === meeting.fixedSlot)
      .map(({ i }) => i);
    domain.push(Int32Array.from(allowed));
    const serving = tablesByPlainness.filter(({ t }) => tableServesPair(pa.languages, pb.languages, t.languages)).map(({ i }) => i);
    tables.push(Int32Array.from(serving));
    impossible.push(allowed.length === 0 ? UNPLACED_REASONS.noCommonSlot : serving.length === 0 ? UNPLACED_REASONS.noTable : null);
    if (meeting.fixedSlot !== undefined && !slotIndex.has(meeting.fixedSlot)) impossible[m] = UNPLACED_REASONS.noCommonSlot;
  });
  const allowedMask = new Uint8Array(n * slots.length);
  domain.forEach((d, m) => d.forEach((slot) => (allowedMask[m * slots.length + slot] = 1)));
  return {
    allowed: allowedMask,
    nSlots: slots.length,
    nTables: input.tables.length,
    nParticipants: input.participants.length,
    nMeetings: n,
    slotIds: slots.map((s) => s.id),
    tableIds: input.tables.map((t) => t.id),
    meetingIds: input.meetings.map((m) => m.id),
    slotDay,
    dayStart,
    dayEnd,
    first,
    second,
    score,
    penalty,
    fixed,
    domain,
    tables,
    impossible,
  };
}
