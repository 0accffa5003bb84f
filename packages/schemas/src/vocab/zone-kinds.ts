import { z } from 'zod';

/**
 * What a zone is. Badges grant access by kind (a professional visitor may enter every `hall`) or
 * by zone id, so a kind is part of the badge contract, not only a label.
 */
export const ZONE_KINDS = ['venue', 'hall', 'area', 'pavilion', 'forum_room', 'matchmaking_area', 'press_centre', 'vip_lounge', 'staff_area'] as const;
export const ZoneKind = z.enum(ZONE_KINDS);
export type ZoneKind = z.infer<typeof ZoneKind>;

export function isZoneKind(value: string): value is ZoneKind {
  return (ZONE_KINDS as readonly string[]).includes(value);
}
