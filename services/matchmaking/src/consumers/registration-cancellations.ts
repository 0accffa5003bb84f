import { on, type TopicHandler } from '@expo/bus';
import type { MatchmakingDeps, MatchmakingTopics } from '../usecases/deps.ts';
import { cancelMeetingsOf } from '../usecases/meetings.ts';

/**
 * A cancelled or erased attendee's open meetings are cancelled (one instance per record: a shared
 * group). The use cases' deps are the app's `matchmaking` decorator, read when a record arrives:
 * the consumer is created with the Kafka plugin, before the deps, which hold its producer, can be.
 */
export function cancellationHandler(topic: MatchmakingTopics['attendees'], app: { readonly matchmaking: MatchmakingDeps }): TopicHandler {
  return on(
    topic,
    async (event) => {
      if (event.data.status === 'cancelled') await cancelMeetingsOf(app.matchmaking, event.data.attendeeId);
    },
    async (attendeeId) => {
      await cancelMeetingsOf(app.matchmaking, attendeeId);
    },
  );
}
