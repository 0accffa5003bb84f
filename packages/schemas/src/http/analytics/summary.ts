import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { Id, IsoDate, NonNegativeInt, UsdAmount } from '../../primitives.ts';
import { AttendeeCategory } from '../../vocab/attendee-categories.ts';
import { MeetingStatus } from '../../vocab/meeting-statuses.ts';
import { RejectionReason } from '../../vocab/scan-decisions.ts';

/** `GET /v1/summary?date=`: one day, or the whole expo without `date`. */
export const SummaryQuery = z.object({ date: IsoDate.optional() });
export type SummaryQuery = z.infer<typeof SummaryQuery>;

export const ZonePeak = z.object({ zoneId: Id, peakOccupancy: NonNegativeInt, at: IsoDateTime.nullable() });
export type ZonePeak = z.infer<typeof ZonePeak>;

/** Every category, reason and status is present (zero when none), so charts need no defaults. */
export const SummaryResponse = z.object({
  date: IsoDate.nullable(),
  registrationsByCategory: z.record(AttendeeCategory, NonNegativeInt),
  uniqueVisitors: NonNegativeInt,
  peakOccupancy: z.array(ZonePeak),
  scans: z.object({
    accepted: NonNegativeInt,
    rejected: NonNegativeInt,
    rejectedByReason: z.record(RejectionReason, NonNegativeInt),
  }),
  meetingsByStatus: z.record(MeetingStatus, NonNegativeInt),
  intendedTurnoverUsd: UsdAmount,
  productDebuts: NonNegativeInt,
});
export type SummaryResponse = z.infer<typeof SummaryResponse>;
