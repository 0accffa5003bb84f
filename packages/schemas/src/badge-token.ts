import { z } from 'zod';
import { BadgeAccess } from './badge-access.ts';
import { Id, IsoDate } from './primitives.ts';
import { AttendeeCategory } from './vocab/attendee-categories.ts';

/**
 * The signed payload inside a badge token (`base64url(payload).base64url(signature)`,
 * docs/architecture.md, "Badges"). Field names are short because the token must fit a QR code read at arm's length.
 * Registration signs it, every scanner verifies it offline: this schema is what both sides agree on.
 * Unknown fields are ignored so a later token version can add some without breaking old scanners.
 */
export const BadgeTokenPayload = z.object({
  v: z.literal(1),
  kid: Id,
  bid: Id,
  aid: Id,
  eid: z.string().min(1).max(64),
  cat: AttendeeCategory,
  acc: BadgeAccess,
  from: IsoDate,
  to: IsoDate,
});
export type BadgeTokenPayload = z.infer<typeof BadgeTokenPayload>;
