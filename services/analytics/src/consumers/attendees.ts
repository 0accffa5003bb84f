import { on, type RecordContext, type TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';
import { applySnapshot, type Snapshot } from './snapshot.ts';

type AttendeeEvent = TopicEvent<typeof TOPICS.attendees>;

/**
 * Only coarse attributes are kept (category, country, sectors): no name, email or organisation
 * (promise 8, docs/promises.md). Active attendees count as registered, by category, country and sector.
 */
export function attendeeSnapshot(event: AttendeeEvent): Snapshot {
  const a = event.data;
  const counters: Record<string, number> = {};
  if (a.status === 'active') {
    counters.total = 1;
    counters[`category:${a.category}`] = 1;
    counters[`country:${a.country}`] = 1;
    for (const sector of new Set(a.interests)) counters[`sector:${sector}`] = 1;
  }
  const attributes = `${a.status}|${a.category}|${a.country}|${[...new Set(a.interests)].join(',')}`;
  return { state: 'att-state', id: a.attendeeId, counters, attributes: { hash: 'att', value: attributes } };
}

/** Erasure (tombstone): the attendee no longer counts and its attributes are dropped. */
export function erasedAttendee(attendeeId: string): Snapshot {
  return { state: 'att-state', id: attendeeId, counters: {}, attributes: { hash: 'att', value: null } };
}

export function attendeesConsumer(topic: AnalyticsTopics['attendees'], deps: ConsumerDeps) {
  return on(
    topic,
    async (event: AttendeeEvent, context: RecordContext) => {
      await applySnapshot(deps, context, attendeeSnapshot(event), 'registered');
    },
    (key: string, context: RecordContext) => applySnapshot(deps, context, erasedAttendee(key), 'registered'),
  );
}
