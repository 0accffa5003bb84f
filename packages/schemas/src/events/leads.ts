import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { Id } from '../primitives.ts';
import { AttendeeCategory } from '../vocab/attendee-categories.ts';
import { CountryCode } from '../vocab/countries.ts';
import { SectorCode } from '../vocab/sectors.ts';

/**
 * An exhibitor scanned a visitor's badge at its booth. The exhibitor's note stays private to the
 * exhibitor (badge-scanning's own store): leads are read by matchmaking and analytics, and carry
 * ids and coarse attributes only.
 */
export const LeadCaptured = defineEvent(
  'lead.captured',
  1,
  z.object({
    leadId: Id,
    exhibitorId: Id,
    badgeId: Id,
    attendeeId: Id,
    category: AttendeeCategory,
    country: CountryCode,
    interests: z.array(SectorCode).max(50).optional(),
    rating: z.number().int().min(1).max(5).optional(),
    capturedAt: IsoDateTime,
  }),
);

export const LEAD_EVENTS = [LeadCaptured] as const;
