import type { AttendeeCategory, BadgeAccess } from '@expo/schemas';

/**
 * Which zone kinds a badge of each category opens. Kinds, not zone ids, so the token stays short
 * in its QR code and a new hall needs no reprint. Organisers and VIPs go everywhere a visitor
 * goes plus their own areas; media also has the press centre.
 */
const VISITOR: BadgeAccess = ['venue', 'hall', 'area', 'pavilion', 'forum_room'];

export const ACCESS_PROFILES: Readonly<Record<AttendeeCategory, BadgeAccess>> = {
  professional_visitor: VISITOR,
  exhibitor_staff: [...VISITOR],
  buyer: [...VISITOR, 'matchmaking_area'],
  media: [...VISITOR, 'press_centre'],
  vip: [...VISITOR, 'matchmaking_area', 'vip_lounge'],
  organiser_staff: [...VISITOR, 'matchmaking_area', 'press_centre', 'vip_lounge', 'staff_area'],
};
