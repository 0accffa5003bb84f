/** A time slot of a matchmaking session: `order` sorts slots within a day, `session` is e.g. morning. */
export interface SchedulerSlot {
  readonly id: string;
  readonly day: string;
  readonly order: number;
  readonly session: string;
}

/** A table; `languages` are those its interpreter (or staff) can work in — empty: no interpreter. */
export interface SchedulerTable {
  readonly id: string;
  readonly languages: readonly string[];
}

/** A buyer or an exhibitor; `languages` empty means the participant's languages are not known (no rule). */
export interface SchedulerParticipant {
  readonly id: string;
  readonly languages: readonly string[];
  /** Slots the participant cannot attend. */
  readonly unavailable: readonly string[];
}

/** An accepted pair to place. */
export interface SchedulerMeeting {
  readonly id: string;
  readonly participants: readonly [string, string];
  readonly score: number;
  /** Session labels the meeting may take; absent: any. */
  readonly sessions?: readonly string[];
  /** A slot the meeting must take. */
  readonly fixedSlot?: string;
}

export interface ScheduleInput {
  readonly slots: readonly SchedulerSlot[];
  readonly tables: readonly SchedulerTable[];
  readonly participants: readonly SchedulerParticipant[];
  readonly meetings: readonly SchedulerMeeting[];
}

export interface Placement {
  readonly meetingId: string;
  readonly slotId: string;
  readonly tableId: string;
}

export const UNPLACED_REASONS = {
  noCommonSlot: 'no slot of its allowed sessions where both participants are available',
  noTable: 'no table whose interpreter languages cover the pair, and no common language',
  fixedConflict: 'its fixed slot is taken by another fixed meeting of a participant or by the tables',
  noRoom: 'every possible slot is taken by higher-scoring meetings of the participants or by the tables',
  unknownParticipant: 'a participant is not part of the session',
} as const;

export interface Unplaced {
  readonly meetingId: string;
  readonly reason: string;
}

export interface ScheduleResult {
  readonly placements: readonly Placement[];
  readonly unplaced: readonly Unplaced[];
  readonly totalScore: number;
  readonly breaks: number;
  /** Proven: no schedule placing the same meetings has fewer breaks. */
  readonly lowerBound: number;
  /** breaks - lowerBound: how far the schedule can at most be from the best possible. */
  readonly gap: number;
  /** breaks == lowerBound: no schedule of the same meetings has fewer breaks. */
  readonly provenOptimal: boolean;
}

export interface ScheduleOptions {
  /**
   * Wall-clock budget of the whole call, from reading the input to the answer: greedy placement,
   * the bound, the local search, then (scheduleSessionExact, from 10 s on sessions small enough)
   * the exact stage. The search stops earlier once it reaches the bound.
   */
  readonly timeBudgetMs?: number;
  readonly seed?: number;
}
