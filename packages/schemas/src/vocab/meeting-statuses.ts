import { z } from 'zod';

/**
 * A meeting's life (docs/matchmaking.md): requested → accepted | declined | expired,
 * accepted → scheduled, scheduled → held | no_show | cancelled (cancelled also from accepted).
 * Each status is also the event type `meeting.<status>` that enters it.
 */
export const MEETING_STATUSES = ['requested', 'accepted', 'declined', 'expired', 'scheduled', 'held', 'no_show', 'cancelled'] as const;
export const MeetingStatus = z.enum(MEETING_STATUSES);
export type MeetingStatus = z.infer<typeof MeetingStatus>;
