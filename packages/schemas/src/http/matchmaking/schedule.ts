import { z } from 'zod';
import { Meeting } from '../../events/meetings.ts';
import { Id } from '../../primitives.ts';

/** `GET /v1/participants/:id/schedule`: a buyer's, attendee's or exhibitor's id. */
export const ParticipantParams = z.object({ id: Id });
export type ParticipantParams = z.infer<typeof ParticipantParams>;

/** The participant's meetings in time order (scheduled ones by slot start, the rest after). */
export const ParticipantScheduleResponse = z.object({ items: z.array(Meeting) });
export type ParticipantScheduleResponse = z.infer<typeof ParticipantScheduleResponse>;
