import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { Id } from '../primitives.ts';
import { BadgePublicJwk } from '../badge-keys.ts';

/**
 * `registration.badge-keys.v1` (compacted by kid): the public half of every badge-signing key, so
 * badge-scanning and any other consumer verify badge tokens offline from the log alone, without
 * calling registration. A retired key stays listed (`retired`) until its badges have expired.
 */
export const BadgeKeyPublished = defineEvent(
  'badge_key.published',
  1,
  z.object({
    kid: Id,
    jwk: BadgePublicJwk,
    /** `active`: new badges may be signed with it; `retired`: only old badges carry it. */
    status: z.enum(['active', 'retired']),
    publishedAt: IsoDateTime,
  }),
);

export const BADGE_KEY_EVENTS = [BadgeKeyPublished] as const;
