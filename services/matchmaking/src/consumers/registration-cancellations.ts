import { on, type TopicHandler } from '@expo/bus';
import type { MatchmakingDeps, MatchmakingTopics } from '../usecases/deps.ts';
import { cancelMeetingsOf } from '../usecases/meetings.ts';

/**
 * A cancelled or erased attendee's open meetings are cancelled (one instance per record: a shared
 * group). `deps` is read when a record arrives: the consumer is created before the producer it uses.
 */
export function cancellationHandler(topic: MatchmakingTopics['attendees'], deps: MatchmakingDeps): TopicHandler {
  return on(
    topic,
    async (event) => {
      if (event.data.status === 'cancelled') await cancelMeetingsOf(deps, event.data.attendeeId);
    },
    async (attendeeId) => {
      await cancelMeetingsOf(deps, attendeeId);
    },
  );
}
