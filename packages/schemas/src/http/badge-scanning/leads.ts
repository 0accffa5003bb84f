import { z } from 'zod';
import { DisplayName, Id, text } from '../../primitives.ts';
import { AttendeeCategory } from '../../vocab/attendee-categories.ts';
import { CountryCode } from '../../vocab/countries.ts';

/**
 * `POST /v1/leads` (exhibitor key): the exhibitor scans a visitor at its booth. `leadId` comes
 * from the exhibitor's app so a retry is the same lead. The note never leaves badge-scanning.
 */
export const CaptureLeadBody = z.object({
  leadId: Id,
  badgeToken: z.string().min(1).max(2048),
  note: text(2000).optional(),
  rating: z.number().int().min(1).max(5).optional(),
});
export type CaptureLeadBody = z.infer<typeof CaptureLeadBody>;

/** What the exhibitor's app shows: who was scanned (the visitor consented at registration). */
export const CaptureLeadResponse = z.object({
  leadId: Id,
  exhibitorId: Id,
  badgeId: Id,
  attendeeId: Id,
  category: AttendeeCategory,
  displayName: DisplayName,
  organisation: text(200).optional(),
  country: CountryCode.optional(),
  replayed: z.boolean(),
});
export type CaptureLeadResponse = z.infer<typeof CaptureLeadResponse>;
