import type { TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';
import { snapshotConsumer, type Snapshot } from './snapshot.ts';

type MeetingEvent = TopicEvent<typeof TOPICS.meetings>;

/**
 * A meeting counts under its latest status; its intended deal (set once held) adds to the intended
 * turnover, kept in cents so sums are exact whatever order records arrive in.
 */
export function meetingSnapshot(event: MeetingEvent): Snapshot {
  const m = event.data;
  const counters: Record<string, number> = { [`meetings:${m.status}`]: 1 };
  if (m.intendedDealUsd !== undefined) counters['turnover-cents'] = Math.round(m.intendedDealUsd * 100);
  return { state: 'meeting-state', id: m.meetingId, counters };
}

export function meetingsConsumer(topic: AnalyticsTopics['meetings'], deps: ConsumerDeps) {
  return snapshotConsumer(topic, deps, 'meeting-state', meetingSnapshot);
}
