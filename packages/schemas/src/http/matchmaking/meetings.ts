import { z } from 'zod';
import { Meeting, MeetingParty, TimeSlot } from '../../events/meetings.ts';
import { Id, UsdAmount } from '../../primitives.ts';

/** `POST /v1/meetings` (admin or either party). */
export const RequestMeetingBody = z.object({
  buyerId: Id,
  exhibitorId: Id,
  requestedBy: MeetingParty,
  preferredSlots: z.array(TimeSlot).max(20).optional(),
  /** The matchmaking session the meeting is for (its batch schedule places it); optional. */
  sessionId: Id.optional(),
});
export type RequestMeetingBody = z.infer<typeof RequestMeetingBody>;

export const RequestMeetingResponse = z.object({ meetingId: Id, status: z.literal('requested') });
export type RequestMeetingResponse = z.infer<typeof RequestMeetingResponse>;

/** `POST /v1/meetings/:meetingId/accept` · `/decline` · `/cancel` · `/outcome`. */
export const MeetingParams = z.object({ meetingId: Id });
export type MeetingParams = z.infer<typeof MeetingParams>;

/** `POST /v1/meetings/:meetingId/outcome`: a deal value only makes sense for a held meeting. */
export const MeetingOutcomeBody = z
  .object({ held: z.boolean(), intendedDealUsd: UsdAmount.optional() })
  .refine((o) => o.held || o.intendedDealUsd === undefined, {
    message: 'intendedDealUsd is only given for a held meeting',
    path: ['intendedDealUsd'],
  });
export type MeetingOutcomeBody = z.infer<typeof MeetingOutcomeBody>;

/** The meeting after any state change. */
export const MeetingResponse = Meeting;
export type MeetingResponse = z.infer<typeof MeetingResponse>;
