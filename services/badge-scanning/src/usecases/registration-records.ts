import { on, type TopicHandler } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { RegistryStore } from '../store/registry-store.ts';

export interface RegistrationTopics {
  readonly attendees: typeof TOPICS.attendees;
  readonly exhibitors: typeof TOPICS.exhibitors;
  readonly badges: typeof TOPICS.badges;
  readonly badgeKeys: typeof TOPICS.badgeKeys;
}

/**
 * Registration's records as badge-scanning keeps them (one handler per topic), of this expo only
 * (the consumer and the rebuild's reader hand no other expo's events). A badge tombstone (erasure) revokes, as a badge of a
 * person who no longer exists must never open a gate again.
 */
export function registrationHandlers(topics: RegistrationTopics, store: RegistryStore): TopicHandler[] {
  return [
    on(
      topics.badges,
      async (event) => {
        if (event.type !== 'badge.revoked') return;
        await store.revoke(event.data.badgeId, event.data.revokedAt);
      },
      async (badgeId) => store.revoke(badgeId, new Date().toISOString()),
    ),
    on(
      topics.attendees,
      async (event) => {
        const a = event.data;
        await store.putPerson(a.attendeeId, a.name, a.country, a.interests);
      },
      async (attendeeId) => store.erasePerson(attendeeId),
    ),
    on(topics.badgeKeys, async (event) => {
      await store.putBadgeKey(event.data.jwk);
    }),
    on(
      topics.exhibitors,
      async (event) => {
        await store.putExhibitorKey(event.data.exhibitorId, event.data.keyHash);
      },
      async (exhibitorId) => store.putExhibitorKey(exhibitorId, undefined),
    ),
  ];
}
