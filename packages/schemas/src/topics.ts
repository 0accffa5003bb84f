// The one definition of the platform's Kafka topics (DESIGN.md, "Topics (v1)"). Producers,
// consumers and the provisioning in infra/ all read this table; nothing else names a topic.

export type CleanupPolicy = 'compact' | 'delete';

export interface TopicDefinition {
  readonly name: string;
  /** The envelope field whose value is the record key (ordering and compaction unit). */
  readonly key: string;
  readonly producer: 'registration' | 'badge-scanning' | 'matchmaking' | 'analytics';
  readonly cleanup: CleanupPolicy;
  readonly partitions: number;
  /** Time retention for `delete` topics; compacted topics keep every key's latest value. */
  readonly retentionMs: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOPICS = {
  attendees: { name: 'registration.attendees.v1', key: 'attendeeId', producer: 'registration', cleanup: 'compact', partitions: 6, retentionMs: null },
  exhibitors: { name: 'registration.exhibitors.v1', key: 'exhibitorId', producer: 'registration', cleanup: 'compact', partitions: 3, retentionMs: null },
  delegations: { name: 'registration.delegations.v1', key: 'delegationId', producer: 'registration', cleanup: 'compact', partitions: 3, retentionMs: null },
  badges: { name: 'registration.badges.v1', key: 'badgeId', producer: 'registration', cleanup: 'compact', partitions: 6, retentionMs: null },
  zones: { name: 'scanning.zones.v1', key: 'zoneId', producer: 'badge-scanning', cleanup: 'compact', partitions: 1, retentionMs: null },
  scans: { name: 'scanning.scans.v1', key: 'badgeId', producer: 'badge-scanning', cleanup: 'delete', partitions: 12, retentionMs: 30 * DAY_MS },
  leads: { name: 'scanning.leads.v1', key: 'exhibitorId', producer: 'badge-scanning', cleanup: 'delete', partitions: 6, retentionMs: 90 * DAY_MS },
  meetings: { name: 'matchmaking.meetings.v1', key: 'meetingId', producer: 'matchmaking', cleanup: 'compact', partitions: 6, retentionMs: null },
  footfall: { name: 'analytics.footfall.v1', key: 'zoneId', producer: 'analytics', cleanup: 'delete', partitions: 6, retentionMs: 90 * DAY_MS },
} as const satisfies Record<string, TopicDefinition>;

export type TopicId = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[TopicId]['name'];

export const DLQ_SUFFIX = '.dlq';
const DLQ_RETENTION_MS = 30 * DAY_MS;

export function dlqTopicName(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

/** The dead-letter twin of a topic: same key and partitions, append-only. */
export function dlqDefinition(topic: TopicDefinition): TopicDefinition {
  return { ...topic, name: dlqTopicName(topic.name), cleanup: 'delete', retentionMs: DLQ_RETENTION_MS };
}

/** Every topic the platform needs, dead-letter topics included: what provisioning applies. */
export function allTopicDefinitions(): TopicDefinition[] {
  const main: TopicDefinition[] = Object.values(TOPICS);
  return [...main, ...main.map(dlqDefinition)];
}
