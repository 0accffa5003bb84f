import { on, type TopicHandler } from '@expo/bus';
import type { BadgeCredentials } from '../domain/badge-credentials.ts';
import { attendeeBuyer, exhibitorProfile, subGroupBuyers } from '../domain/recommend/profiles.ts';
import type { Recommender } from '../domain/recommend/recommender.ts';
import type { MatchmakingTopics } from '../usecases/deps.ts';

/**
 * Profiles in memory from registration's compacted topics (and leads, zones and scans): every
 * instance reads them all from the beginning with a group of its own, so its index is complete;
 * records of other expos on the same topics are skipped.
 */
export function profileHandlers(deps: { expoId: string; recommender: Recommender; credentials: BadgeCredentials; topics: MatchmakingTopics }): TopicHandler[] {
  const { recommender, expoId, topics } = deps;
  const mine = (eventId: string) => eventId === expoId;
  return [
    on(topics.exhibitors, async (event) => {
      if (mine(event.eventId)) recommender.setExhibitor(exhibitorProfile(event.data));
    }),
    on(topics.delegations, async (event) => {
      if (mine(event.eventId)) for (const buyer of subGroupBuyers(event.data)) recommender.setBuyer(buyer);
    }),
    on(
      topics.attendees,
      async (event) => {
        if (!mine(event.eventId)) return;
        const attendee = event.data;
        recommender.setMembership(attendee.attendeeId, attendee.status === 'active' ? attendee.subGroupId : undefined);
        const buyer = attendeeBuyer(attendee);
        if (buyer) recommender.setBuyer(buyer);
        else recommender.removeBuyer(attendee.attendeeId);
      },
      async (attendeeId) => {
        recommender.setMembership(attendeeId, undefined);
        recommender.removeBuyer(attendeeId);
      },
    ),
    on(topics.leads, async (event) => {
      if (mine(event.eventId)) recommender.addLead(event.data.exhibitorId, event.data.attendeeId);
    }),
    on(topics.zones, async (event) => {
      if (!mine(event.eventId)) return;
      if (event.type === 'zone.defined') recommender.setZone(event.data);
      else recommender.removeZone(event.data.zoneId);
    }),
    // A hall visit: an accepted move into a zone (`hall_visited` when it is the exhibitor's hall).
    on(topics.scans, async (event) => {
      if (mine(event.eventId) && event.type === 'scan.accepted' && event.data.direction === 'in') recommender.addVisit(event.data.attendeeId, event.data.zoneId);
    }),
    on(topics.badgeKeys, async (event) => {
      if (mine(event.eventId)) deps.credentials.setKey(event.data.kid, event.data.jwk);
    }),
  ] as TopicHandler[];
}
