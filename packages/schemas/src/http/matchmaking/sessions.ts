import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { TimeSlot } from '../../events/meetings.ts';
import { Id, NonNegativeInt, text } from '../../primitives.ts';

/** `POST /v1/sessions/:sessionId/schedule` (admin). */
export const SessionParams = z.object({ sessionId: Id });
export type SessionParams = z.infer<typeof SessionParams>;

/** The batch scheduler's outcome: accepted meetings it could not place say why. */
export const ScheduleSessionResponse = z.object({
  sessionId: Id,
  scheduled: NonNegativeInt,
  totalScore: z.number().finite(),
  unplaced: z.array(z.object({ meetingId: Id, reason: text(200) })),
  /** `draft` until published (`POST /v1/sessions/:sessionId/schedule/publish`). */
  status: z.enum(['draft', 'published']).optional(),
  /** Idle gaps between participants' first and last meetings of a day, summed. */
  breaks: NonNegativeInt.optional(),
  /**
   * Proven: no schedule placing the same meetings has fewer breaks. On a published schedule these
   * four describe the schedule the scheduler computed (`planned` placements), also when some of
   * its placements could not be booked: then the booked part may have other figures.
   */
  lowerBound: NonNegativeInt.optional(),
  /** breaks − lowerBound: at most this many breaks could any other schedule of these meetings save. */
  gap: NonNegativeInt.optional(),
  /** breaks equal lowerBound: the fewest breaks possible for these meetings. */
  provenOptimal: z.boolean().optional(),
  /**
   * On a published schedule: the placements of the computed schedule that `breaks`, `lowerBound`,
   * `gap` and `provenOptimal` describe; more than `scheduled` when some could not be booked.
   */
  planned: NonNegativeInt.optional(),
  placements: z.array(z.object({ meetingId: Id, slot: TimeSlot, tableId: Id })).optional(),
});
export type ScheduleSessionResponse = z.infer<typeof ScheduleSessionResponse>;

/** ISO 639-1 language code (`zh`, `en`), as table interpreters and participants state them. */
export const LanguageCode = z.string().regex(/^[a-z]{2,3}$/, 'a lowercase ISO 639 language code');

/**
 * `PUT /v1/sessions/:sessionId` (admin): a matchmaking session's slots, tables with interpreter
 * languages, and what is known of participants (languages, times they cannot meet).
 */
export const MatchmakingSessionBody = z.object({
  name: text(200).optional(),
  slots: z
    .array(z.object({ slotId: Id, start: IsoDateTime, end: IsoDateTime }))
    .min(1)
    .max(500),
  tables: z
    .array(z.object({ tableId: Id, languages: z.array(LanguageCode).max(10).default([]) }))
    .min(1)
    .max(2000),
  participants: z
    .array(z.object({ participantId: Id, languages: z.array(LanguageCode).max(10).optional(), unavailable: z.array(TimeSlot).max(100).optional() }))
    .max(20_000)
    .optional(),
});
export type MatchmakingSessionBody = z.infer<typeof MatchmakingSessionBody>;

/**
 * The latest schedule published for a session, kept with it (the draft is gone once published):
 * how many meetings were booked and how good the computed schedule is. The four quality figures
 * describe the schedule the scheduler computed (`planned` placements), also when fewer were booked.
 */
export const PublishedSchedule = z.object({
  publishedAt: IsoDateTime,
  scheduled: NonNegativeInt,
  planned: NonNegativeInt,
  totalScore: z.number().finite(),
  breaks: NonNegativeInt,
  lowerBound: NonNegativeInt,
  gap: NonNegativeInt,
  provenOptimal: z.boolean(),
});
export type PublishedSchedule = z.infer<typeof PublishedSchedule>;

/**
 * A session as stored and as `matchmaking.sessions.v1` carries it: its definition, and once a
 * schedule is published (`POST /v1/sessions/:sessionId/schedule/publish`) that schedule's figures.
 * A redefinition keeps them.
 */
export const MatchmakingSession = MatchmakingSessionBody.extend({ sessionId: Id, updatedAt: IsoDateTime, schedule: PublishedSchedule.optional() });
export type MatchmakingSession = z.infer<typeof MatchmakingSession>;
