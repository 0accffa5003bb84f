// The one definition of the platform's Kafka topics (docs/topics-and-envelope.md). Producers,
// consumers and the provisioning in infra/ all read this table; nothing else names a topic.

import type { EventDefinition, EventInputOf, EventOf } from './event.ts';
import { ATTENDEE_EVENTS } from './events/attendees.ts';
import { BADGE_EVENTS } from './events/badges.ts';
import { BADGE_KEY_EVENTS } from './events/badge-keys.ts';
import { DELEGATION_EVENTS } from './events/delegations.ts';
import { EXHIBITOR_EVENTS } from './events/exhibitors.ts';
import { FOOTFALL_EVENTS } from './events/footfall.ts';
import { LEAD_EVENTS } from './events/leads.ts';
import { MEETING_EVENTS } from './events/meetings.ts';
import { PREFERENCE_EVENTS } from './events/preferences.ts';
import { REQUIREMENT_EVENTS } from './events/requirements.ts';
import { SCAN_EVENTS } from './events/scans.ts';
import { SESSION_EVENTS } from './events/sessions.ts';
import { ZONE_EVENTS } from './events/zones.ts';

export type CleanupPolicy = 'compact' | 'delete';

/** The platform's services: each produces its own topics and is a Kafka principal of its own (kafka-acls.ts). */
export const SERVICE_NAMES = ['registration', 'badge-scanning', 'matchmaking', 'analytics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface TopicDefinition {
  readonly name: string;
  /**
   * The field of the record's `data` whose value is the record key (ordering and compaction
   * unit). Every event type of the topic has it as a top-level string field.
   */
  readonly key: string;
  readonly producer: ServiceName;
  readonly cleanup: CleanupPolicy;
  readonly partitions: number;
  /** Time retention for `delete` topics; compacted topics keep every key's latest value. */
  readonly retentionMs: number | null;
}

/** A topic together with the event types (schemas) its records may carry. */
export interface TopicContract<Events extends readonly EventDefinition[] = readonly EventDefinition[]> extends TopicDefinition {
  readonly events: Events;
}

/**
 * A topic of the platform's table: its contract and the services that read it, whether with a
 * live consumer (services/<name>/src/consumers) or only to rebuild their state from the log (a
 * producer reading its own topics back). Who may read and write what on the broker derives from this.
 */
export interface PlatformTopic extends TopicContract {
  readonly consumers: readonly ServiceName[];
}

/** A whole record of any event type of the contract, as consumers receive it. */
export type TopicEvent<C extends TopicContract> = C['events'][number] extends infer D ? (D extends EventDefinition ? EventOf<D> : never) : never;

/** What a producer supplies for any event type of the contract. */
export type TopicEventInput<C extends TopicContract> = EventInputOf<C['events'][number]>;

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOPICS = {
  attendees: {
    name: 'registration.attendees.v1',
    key: 'attendeeId',
    producer: 'registration',
    cleanup: 'compact',
    partitions: 6,
    retentionMs: null,
    consumers: ['registration', 'badge-scanning', 'matchmaking', 'analytics'],
    events: ATTENDEE_EVENTS,
  },
  exhibitors: {
    name: 'registration.exhibitors.v1',
    key: 'exhibitorId',
    producer: 'registration',
    cleanup: 'compact',
    partitions: 3,
    retentionMs: null,
    consumers: ['registration', 'badge-scanning', 'matchmaking', 'analytics'],
    events: EXHIBITOR_EVENTS,
  },
  delegations: {
    name: 'registration.delegations.v1',
    key: 'delegationId',
    producer: 'registration',
    cleanup: 'compact',
    partitions: 3,
    retentionMs: null,
    consumers: ['registration', 'matchmaking'],
    events: DELEGATION_EVENTS,
  },
  badges: {
    name: 'registration.badges.v1',
    key: 'badgeId',
    producer: 'registration',
    cleanup: 'compact',
    partitions: 6,
    retentionMs: null,
    consumers: ['registration', 'badge-scanning', 'analytics'],
    events: BADGE_EVENTS,
  },
  badgeKeys: {
    name: 'registration.badge-keys.v1',
    key: 'kid',
    producer: 'registration',
    cleanup: 'compact',
    partitions: 1,
    retentionMs: null,
    consumers: ['badge-scanning', 'matchmaking'],
    events: BADGE_KEY_EVENTS,
  },
  zones: {
    name: 'scanning.zones.v1',
    key: 'zoneId',
    producer: 'badge-scanning',
    cleanup: 'compact',
    partitions: 1,
    retentionMs: null,
    consumers: ['badge-scanning', 'matchmaking', 'analytics'],
    events: ZONE_EVENTS,
  },
  scans: {
    name: 'scanning.scans.v1',
    key: 'badgeId',
    producer: 'badge-scanning',
    cleanup: 'delete',
    partitions: 12,
    retentionMs: 30 * DAY_MS,
    consumers: ['badge-scanning', 'matchmaking', 'analytics'],
    events: SCAN_EVENTS,
  },
  leads: {
    name: 'scanning.leads.v1',
    key: 'exhibitorId',
    producer: 'badge-scanning',
    cleanup: 'delete',
    partitions: 6,
    retentionMs: 90 * DAY_MS,
    consumers: ['matchmaking'],
    events: LEAD_EVENTS,
  },
  meetings: {
    name: 'matchmaking.meetings.v1',
    key: 'meetingId',
    producer: 'matchmaking',
    cleanup: 'compact',
    partitions: 6,
    retentionMs: null,
    consumers: ['matchmaking', 'analytics'],
    events: MEETING_EVENTS,
  },
  // What matchmaking is told ahead of the meetings: its Redis state is rebuilt from these too.
  requirements: {
    name: 'matchmaking.requirements.v1',
    key: 'requirementId',
    producer: 'matchmaking',
    cleanup: 'compact',
    partitions: 3,
    retentionMs: null,
    consumers: ['matchmaking'],
    events: REQUIREMENT_EVENTS,
  },
  preferences: {
    name: 'matchmaking.preferences.v1',
    key: 'pairId',
    producer: 'matchmaking',
    cleanup: 'compact',
    partitions: 3,
    retentionMs: null,
    consumers: ['matchmaking'],
    events: PREFERENCE_EVENTS,
  },
  sessions: {
    name: 'matchmaking.sessions.v1',
    key: 'sessionId',
    producer: 'matchmaking',
    cleanup: 'compact',
    partitions: 1,
    retentionMs: null,
    consumers: ['matchmaking'],
    events: SESSION_EVENTS,
  },
  // Read by no service: published for downstream consumers (dashboards, BI).
  footfall: {
    name: 'analytics.footfall.v1',
    key: 'zoneId',
    producer: 'analytics',
    cleanup: 'delete',
    partitions: 6,
    retentionMs: 90 * DAY_MS,
    consumers: [],
    events: FOOTFALL_EVENTS,
  },
} as const satisfies Record<string, PlatformTopic>;

export type TopicId = keyof typeof TOPICS;

/**
 * The platform topics a service uses, keyed like TOPICS: `pickTopics(['scans', 'zones'])`. A
 * service's table of its topics, written once as a list of ids.
 */
export function pickTopics<const Ids extends readonly TopicId[]>(ids: Ids): { [K in Ids[number]]: (typeof TOPICS)[K] } {
  return Object.fromEntries(ids.map((id) => [id, TOPICS[id]])) as { [K in Ids[number]]: (typeof TOPICS)[K] };
}
export type TopicName = (typeof TOPICS)[TopicId]['name'];

export const DLQ_SUFFIX = '.dlq';
const DLQ_RETENTION_MS = 30 * DAY_MS;

export function dlqTopicName(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

/** The provisioning part of a topic: a contract's event schemas have no place in a dead-letter twin. */
export function topicDefinition(topic: TopicDefinition): TopicDefinition {
  const { name, key, producer, cleanup, partitions, retentionMs } = topic;
  return { name, key, producer, cleanup, partitions, retentionMs };
}

/** The dead-letter twin of a topic: same key and partitions, append-only. */
export function dlqDefinition(topic: TopicDefinition): TopicDefinition {
  return { ...topicDefinition(topic), name: dlqTopicName(topic.name), cleanup: 'delete', retentionMs: DLQ_RETENTION_MS };
}

/** Every topic the platform needs, dead-letter topics included: what provisioning applies. */
export function allTopicDefinitions(): TopicDefinition[] {
  const main = Object.values(TOPICS).map(topicDefinition);
  return [...main, ...main.map(dlqDefinition)];
}

/** Every event type of every topic, in table order. */
export function allEventDefinitions(): Array<{ topic: TopicName; definition: EventDefinition }> {
  return Object.values(TOPICS).flatMap((t) => t.events.map((definition: EventDefinition) => ({ topic: t.name, definition })));
}
