import { on, type TopicHandler } from '@expo/bus';
import type { BadgeCredentials } from '../domain/badge-credentials.ts';
import { attendeeBuyer, exhibitorProfile, subGroupBuyers } from '../domain/recommend/profiles.ts';
import type { Recommender } from '../domain/recommend/recommender.ts';
import type { MatchmakingTopics } from '../usecases/deps.ts';

/**
 * Profiles in memory from registration's compacted topics (and leads, zones and scans): every
 * instance reads them all from the beginning with a group of its own, so its index is complete
 * (the consumer hands it this expo's events only).
 */
export function profileHandlers(deps: { recommender: Recommender; credentials: BadgeCredentials; topics: MatchmakingTopics }): TopicHandler[] {
  const { recommender, topics } = deps;
  return [
    on(topics.exhibitors, async (event) => {
      recommender.setExhibitor(exhibitorProfile(event.data));
    }),
    on(topics.delegations, async (event) => {
      for (const buyer of subGroupBuyers(event.data)) recommender.setBuyer(buyer);
    }),
    on(
      topics.attendees,
      async (event) => {
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
      recommender.addLead(event.data.exhibitorId, event.data.attendeeId);
    }),
    on(topics.zones, async (event) => {
      if (event.type === 'zone.defined') recommender.setZone(event.data);
      else recommender.removeZone(event.data.zoneId);
    }),
    // A hall visit: an accepted move into a zone (`hall_visited` when it is the exhibitor's hall).
    on(topics.scans, async (event) => {
      if (event.type === 'scan.accepted' && event.data.direction === 'in') recommender.addVisit(event.data.attendeeId, event.data.zoneId);
    }),
    on(topics.badgeKeys, async (event) => {
      deps.credentials.setKey(event.data.kid, event.data.jwk);
    }),
  ] as TopicHandler[];
}
