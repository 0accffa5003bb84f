import { z } from 'zod';
import { Attendee } from '../../events/attendees.ts';
import { DisplayName, Id, IsoDate, NonNegativeInt, text } from '../../primitives.ts';
import { AttendeeCategory } from '../../vocab/attendee-categories.ts';
import { CountryCode } from '../../vocab/countries.ts';
import { SectorCode } from '../../vocab/sectors.ts';

/** `POST /v1/attendees` (public). Consent must be given explicitly: the badge prints the name. */
export const RegisterAttendeeBody = z.object({
  category: AttendeeCategory,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  email: z.email().max(254),
  organisation: text(200).optional(),
  country: CountryCode,
  interests: z.array(SectorCode).max(50).optional(),
  days: z.array(IsoDate).max(31).optional(),
  delegationId: Id.optional(),
  subGroupId: Id.optional(),
  exhibitorId: Id.optional(),
  consent: z.literal(true),
});
export type RegisterAttendeeBody = z.infer<typeof RegisterAttendeeBody>;

/** A client retrying a registration sends the same key and gets the first answer back. */
export const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(128).optional() });
export type IdempotencyHeaders = z.infer<typeof IdempotencyHeaders>;

export const RegisterAttendeeResponse = z.object({
  attendeeId: Id,
  badgeId: Id,
  badgeToken: z.string().min(1),
  category: AttendeeCategory,
});
export type RegisterAttendeeResponse = z.infer<typeof RegisterAttendeeResponse>;

export const AttendeeParams = z.object({ attendeeId: Id });
export type AttendeeParams = z.infer<typeof AttendeeParams>;

/** `GET /v1/attendees/:attendeeId`, and `DELETE` answers the cancelled attendee. */
export const AttendeeResponse = Attendee;
export type AttendeeResponse = z.infer<typeof AttendeeResponse>;

/**
 * Columns of `POST /v1/attendees/import` (CSV with this header row). List fields (`interests`,
 * `days`) are `;`-separated; `consent` is `true` or `yes`.
 */
export const ATTENDEE_CSV_COLUMNS = [
  'category',
  'name',
  'nameLocal',
  'email',
  'organisation',
  'country',
  'interests',
  'days',
  'delegationId',
  'subGroupId',
  'exhibitorId',
  'consent',
] as const;

export const ATTENDEE_IMPORT_ROW_STATUSES = ['created', 'duplicate', 'invalid'] as const;

/** One CSV row's outcome: a bad row is reported here, never fails the import as a whole. */
export const AttendeeImportRowResult = z.object({
  /** 1-based data row number, the header row not counted. */
  row: z.number().int().positive(),
  status: z.enum(ATTENDEE_IMPORT_ROW_STATUSES),
  attendeeId: Id.optional(),
  badgeId: Id.optional(),
  problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type AttendeeImportRowResult = z.infer<typeof AttendeeImportRowResult>;

export const AttendeeImportResponse = z.object({
  created: NonNegativeInt,
  duplicates: NonNegativeInt,
  invalid: NonNegativeInt,
  rows: z.array(AttendeeImportRowResult),
});
export type AttendeeImportResponse = z.infer<typeof AttendeeImportResponse>;
