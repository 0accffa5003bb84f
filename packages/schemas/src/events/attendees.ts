import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { ChangedFields, DisplayName, Id, IsoDate, text } from '../primitives.ts';
import { AttendeeCategory } from '../vocab/attendee-categories.ts';
import { CountryCode } from '../vocab/countries.ts';
import { SectorCode } from '../vocab/sectors.ts';

export const ATTENDEE_STATUSES = ['active', 'cancelled'] as const;
export const AttendeeStatus = z.enum(ATTENDEE_STATUSES);
export type AttendeeStatus = z.infer<typeof AttendeeStatus>;

/**
 * One attendee as registration holds it. `registration.attendees.v1` is compacted by attendeeId,
 * so every record carries this whole snapshot: a new consumer rebuilds its state from the latest
 * record per key. Erasing a person is a tombstone (null value), which has no schema.
 */
export const Attendee = z.object({
  attendeeId: Id,
  category: AttendeeCategory,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  email: z.email().max(254),
  organisation: text(200).optional(),
  country: CountryCode,
  interests: z.array(SectorCode).max(50),
  days: z.array(IsoDate).max(31),
  delegationId: Id.optional(),
  subGroupId: Id.optional(),
  exhibitorId: Id.optional(),
  badgeId: Id,
  status: AttendeeStatus,
  registeredAt: IsoDateTime,
});
export type Attendee = z.infer<typeof Attendee>;

const AttendeeRecord = Attendee.extend({ changed: ChangedFields });

export const AttendeeRegistered = defineEvent('attendee.registered', 1, AttendeeRecord.extend({ status: z.literal('active') }));
export const AttendeeUpdated = defineEvent('attendee.updated', 1, AttendeeRecord);
export const AttendeeCancelled = defineEvent('attendee.cancelled', 1, AttendeeRecord.extend({ status: z.literal('cancelled') }));

export const ATTENDEE_EVENTS = [AttendeeRegistered, AttendeeUpdated, AttendeeCancelled] as const;
