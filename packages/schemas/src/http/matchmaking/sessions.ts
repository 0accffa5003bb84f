import { z } from 'zod';
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
});
export type ScheduleSessionResponse = z.infer<typeof ScheduleSessionResponse>;
