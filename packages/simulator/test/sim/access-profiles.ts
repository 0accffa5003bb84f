import type { AttendeeCategory } from '@expo/schemas';

// What registration puts in each category's badge (services/registration/src/domain/access-profiles.ts);
// a package may not import a service, so the test states it.
const VISITOR = ['venue', 'hall', 'area', 'pavilion', 'forum_room'];
export const ACCESS_PROFILES_FOR_TESTS: Readonly<Record<AttendeeCategory, string[]>> = {
  professional_visitor: VISITOR,
  exhibitor_staff: VISITOR,
  buyer: [...VISITOR, 'matchmaking_area'],
  media: [...VISITOR, 'press_centre'],
  vip: [...VISITOR, 'matchmaking_area', 'vip_lounge'],
  organiser_staff: [...VISITOR, 'matchmaking_area', 'press_centre', 'vip_lounge', 'staff_area'],
};
