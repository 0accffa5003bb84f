import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { ChangedFields, Id, UsdAmount } from '../primitives.ts';
import { MeetingStatus } from '../vocab/meeting-statuses.ts';

export const MEETING_PARTIES = ['buyer', 'exhibitor', 'organiser'] as const;
/** Who asked for the meeting; `organiser` when staff arranged it for both sides. */
export const MeetingParty = z.enum(MEETING_PARTIES);
export type MeetingParty = z.infer<typeof MeetingParty>;

export const TimeSlot = z
  .object({ start: IsoDateTime, end: IsoDateTime })
  .refine((s) => Date.parse(s.start) < Date.parse(s.end), { message: 'a slot ends after it starts', path: ['end'] });
export type TimeSlot = z.infer<typeof TimeSlot>;

/**
 * One meeting, the whole snapshot on every record of the compacted `matchmaking.meetings.v1`.
 * `buyerId` is a delegation sub-group or an attendee with buying interests; slot and table are set
 * once scheduled; `intendedDealUsd` once held (analytics sums it as intended turnover).
 */
export const Meeting = z.object({
  meetingId: Id,
  buyerId: Id,
  exhibitorId: Id,
  requestedBy: MeetingParty,
  sessionId: Id.optional(),
  slot: TimeSlot.optional(),
  tableId: Id.optional(),
  score: z.number().nonnegative().finite().optional(),
  intendedDealUsd: UsdAmount.optional(),
  status: MeetingStatus,
  requestedAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Meeting = z.infer<typeof Meeting>;

function meetingRecord<S extends MeetingStatus>(status: S) {
  return Meeting.extend({ status: z.literal(status), changed: ChangedFields });
}

export const MeetingRequested = defineEvent('meeting.requested', 1, meetingRecord('requested'));
export const MeetingAccepted = defineEvent('meeting.accepted', 1, meetingRecord('accepted'));
export const MeetingDeclined = defineEvent('meeting.declined', 1, meetingRecord('declined'));
export const MeetingExpired = defineEvent('meeting.expired', 1, meetingRecord('expired'));
export const MeetingScheduled = defineEvent('meeting.scheduled', 1, meetingRecord('scheduled').extend({ sessionId: Id, slot: TimeSlot, tableId: Id }));
export const MeetingHeld = defineEvent('meeting.held', 1, meetingRecord('held'));
export const MeetingNoShow = defineEvent('meeting.no_show', 1, meetingRecord('no_show'));
export const MeetingCancelled = defineEvent('meeting.cancelled', 1, meetingRecord('cancelled'));

export const MEETING_EVENTS = [
  MeetingRequested,
  MeetingAccepted,
  MeetingDeclined,
  MeetingExpired,
  MeetingScheduled,
  MeetingHeld,
  MeetingNoShow,
  MeetingCancelled,
] as const;
