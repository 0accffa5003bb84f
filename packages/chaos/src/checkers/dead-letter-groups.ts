import { TOPICS } from '@expo/schemas';

/** Which consumer groups dead-letter a record of a topic that no consumer can read, by source topic (its name in TOPICS). */
export interface DeadLetterGroups {
  /** Groups each of which must dead-letter every poison record of the topic once. */
  readonly required: Readonly<Record<string, readonly string[]>>;
  /**
   * Prefixes of groups made anew by every process (matchmaking's profile index: a group per
   * instance, from the beginning): each may dead-letter a poison record once, none must, as an
   * instance killed early never reached it.
   */
  readonly perInstance: Readonly<Record<string, readonly string[]>>;
}

/**
 * The platform's consumer groups under the services' default SERVICE_NAME and CONSUMER_GROUP, read
 * from each service's app.ts: every group dead-letters on its own (bus consumer.ts), and the two
 * instances of a service share its stable groups, so a poison record is dead-lettered once per
 * group, not per instance. Registration consumes nothing.
 */
export function platformDeadLetterGroups(expoId: string): DeadLetterGroups {
  const analyticsScans = `analytics.${expoId}.scans`;
  const analyticsReference = `analytics.${expoId}.reference`;
  const scanningRegistration = `badge-scanning.${expoId}.registration`;
  const matchmakingCancellations = `matchmaking.${expoId}.cancellations`;
  const profiles = ['matchmaking.profiles.'];
  return {
    required: {
      [TOPICS.scans.name]: [analyticsScans],
      [TOPICS.zones.name]: [analyticsReference],
      [TOPICS.attendees.name]: [analyticsReference, scanningRegistration, matchmakingCancellations],
      [TOPICS.badges.name]: [analyticsReference, scanningRegistration],
      [TOPICS.exhibitors.name]: [analyticsReference, scanningRegistration],
      [TOPICS.meetings.name]: [analyticsReference],
      [TOPICS.badgeKeys.name]: [scanningRegistration],
    },
    perInstance: {
      [TOPICS.scans.name]: profiles,
      [TOPICS.zones.name]: profiles,
      [TOPICS.attendees.name]: profiles,
      [TOPICS.exhibitors.name]: profiles,
      [TOPICS.delegations.name]: profiles,
      [TOPICS.leads.name]: profiles,
      [TOPICS.badgeKeys.name]: profiles,
    },
  };
}
