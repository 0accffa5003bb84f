import { z } from 'zod';
import { BadgeAccess } from '../badge-access.ts';
import { defineEvent, IsoDateTime } from '../event.ts';
import { ChangedFields, Id, IsoDate } from '../primitives.ts';
import { AttendeeCategory } from '../vocab/attendee-categories.ts';

export const BADGE_REVOCATION_REASONS = ['attendee_cancelled', 'attendee_erased', 'reissued', 'lost_or_stolen', 'misuse', 'other'] as const;
/** A code, never free text: this topic is read by every scanner and must stay free of personal data. */
export const BadgeRevocationReason = z.enum(BADGE_REVOCATION_REASONS);
export type BadgeRevocationReason = z.infer<typeof BadgeRevocationReason>;

/**
 * A badge as issued: what a scanner needs besides the token itself. No name or email: scanners
 * subscribe to this topic and keep it on devices; the attendee id links to registration's records.
 */
export const IssuedBadge = z.object({
  badgeId: Id,
  attendeeId: Id,
  /** The signing key id, so a key's badges can be found when a key is retired. */
  kid: Id,
  category: AttendeeCategory,
  access: BadgeAccess,
  validFrom: IsoDate,
  validTo: IsoDate,
  issuedAt: IsoDateTime,
});
export type IssuedBadge = z.infer<typeof IssuedBadge>;

export const BadgeIssued = defineEvent('badge.issued', 1, IssuedBadge.extend({ status: z.literal('active'), changed: ChangedFields }));

/**
 * `registration.badges.v1` is compacted by badgeId, so the revocation replaces the issue record:
 * like every entity record it repeats the whole badge, or compaction would lose the badge's data.
 */
export const BadgeRevoked = defineEvent(
  'badge.revoked',
  1,
  IssuedBadge.extend({
    status: z.literal('revoked'),
    reason: BadgeRevocationReason,
    revokedAt: IsoDateTime,
    changed: ChangedFields,
  }),
);

export const BADGE_EVENTS = [BadgeIssued, BadgeRevoked] as const;
