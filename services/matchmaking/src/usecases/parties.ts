import type { Meeting } from '@expo/schemas';
import type { Principal } from '@expo/service-kit';
import type { Side } from '../domain/meetings/lifecycle.ts';
import type { Recommender } from '../domain/recommend/recommender.ts';

/** A buyer attendee acts for itself and for the delegation sub-group it belongs to. */
export function actsFor(principal: Principal, id: string, recommender: Recommender): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'exhibitor') return principal.id === id;
  if (principal.role === 'attendee') return principal.id === id || (principal.id !== undefined && recommender.subGroupOfAttendee(principal.id) === id);
  return false;
}

export function sideOf(principal: Principal, meeting: Pick<Meeting, 'buyerId' | 'exhibitorId'>, recommender: Recommender): Side | null {
  if (principal.role === 'admin') return 'admin';
  if (principal.role === 'exhibitor' && principal.id === meeting.exhibitorId) return 'exhibitor';
  if (principal.role === 'attendee' && actsFor(principal, meeting.buyerId, recommender)) return 'buyer';
  return null;
}
