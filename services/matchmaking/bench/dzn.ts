import type { ScheduleInput } from '../src/domain/scheduler/types.ts';

/** A public B2B meeting scheduling instance (MiniZinc data), as its README describes the fields. */
export interface DznInstance {
  readonly nBusiness: number;
  readonly nMeetings: number;
  readonly nTables: number;
  readonly nTotalSlots: number;
  readonly nMorningSlots: number;
  /** [a, b, session] per meeting, 1-based participants; session 1 morning, 2 afternoon, 3 either. */
  readonly requested: ReadonlyArray<readonly [number, number, number]>;
  /** Per participant, 1-based forbidden slots (the 0 placeholder dropped). */
  readonly forbidden: ReadonlyArray<readonly number[]>;
  /** Per meeting, a 1-based slot it must take, or 0. */
  readonly fixed: readonly number[];
}

function field(text: string, name: string): string {
  const match = new RegExp(`(?:^|\\n)\\s*${name}\\s*=\\s*([\\s\\S]*?);`).exec(text);
  if (!match) throw new Error(`.dzn has no ${name}`);
  return match[1]!;
}

const numbers = (text: string) => (text.match(/-?\d+/g) ?? []).map(Number);

function sets(text: string): number[][] {
  return [...text.matchAll(/\{([^}]*)\}/g)].map((m) => numbers(m[1]!));
}

export function parseDzn(text: string): DznInstance {
  const scalar = (name: string) => numbers(field(text, name))[0] ?? NaN;
  const flat = numbers(field(text, 'requested'));
  const requested: Array<[number, number, number]> = [];
  for (let i = 0; i + 2 < flat.length; i += 3) requested.push([flat[i]!, flat[i + 1]!, flat[i + 2]!]);
  const instance = {
    nBusiness: scalar('nBusiness'),
    nMeetings: scalar('nMeetings'),
    nTables: scalar('nTables'),
    nTotalSlots: scalar('nTotalSlots'),
    nMorningSlots: scalar('nMorningSlots'),
    requested,
    forbidden: sets(field(text, 'forbidden')).map((s) => s.filter((slot) => slot > 0)),
    fixed: numbers(field(text, 'fixed')),
  };
  if (requested.length !== instance.nMeetings) throw new Error(`.dzn lists ${requested.length} meetings, nMeetings says ${instance.nMeetings}`);
  return instance;
}

/** The instance as the scheduler's input: one day, morning and afternoon sessions, plain tables. */
export function dznToScheduleInput(dzn: DznInstance): ScheduleInput {
  const slots = Array.from({ length: dzn.nTotalSlots }, (_, i) => ({
    id: `s${i + 1}`,
    day: 'day-1',
    order: i + 1,
    session: i < dzn.nMorningSlots ? 'morning' : 'afternoon',
  }));
  const tables = Array.from({ length: dzn.nTables }, (_, i) => ({ id: `t${i + 1}`, languages: [] }));
  const participants = Array.from({ length: dzn.nBusiness }, (_, i) => ({
    id: `p${i + 1}`,
    languages: [],
    unavailable: (dzn.forbidden[i] ?? []).map((s) => `s${s}`),
  }));
  const sessionsOf = (code: number) => (code === 1 ? ['morning'] : code === 2 ? ['afternoon'] : ['morning', 'afternoon']);
  const meetings = dzn.requested.map(([a, b, session], i) => ({
    id: `m${i + 1}`,
    participants: [`p${a}`, `p${b}`] as const,
    score: 1,
    sessions: sessionsOf(session),
    ...((dzn.fixed[i] ?? 0) > 0 ? { fixedSlot: `s${dzn.fixed[i]}` } : {}),
  }));
  return { slots, tables, participants, meetings };
}
