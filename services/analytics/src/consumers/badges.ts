import { on, type RecordContext, type TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';
import { applySnapshot } from './snapshot.ts';

type BadgeEvent = TopicEvent<typeof TOPICS.badges>;

/**
 * The funnel's middle step counts attendees who were issued a badge, once each: a reissued or
 * revoked badge does not undo that the attendee got one.
 */
export function badgesConsumer(topic: AnalyticsTopics['badges'], deps: ConsumerDeps) {
  return on(topic, async (event: BadgeEvent, context: RecordContext) => {
    await applySnapshot(deps, context, { state: 'badge-att', id: event.data.attendeeId, counters: { badged: 1 } }, 'funnel');
  });
}
