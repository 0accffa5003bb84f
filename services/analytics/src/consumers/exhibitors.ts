import type { TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';
import { snapshotConsumer, type Snapshot } from './snapshot.ts';

type ExhibitorEvent = TopicEvent<typeof TOPICS.exhibitors>;

/** Product debuts of an exhibitor: its latest snapshot replaces the previous count. */
export function exhibitorSnapshot(event: ExhibitorEvent): Snapshot {
  const debuts = event.data.products.filter((p) => p.debut).length;
  return { state: 'exhibitor-state', id: event.data.exhibitorId, counters: { 'product-debuts': debuts, exhibitors: 1 } };
}

export function exhibitorsConsumer(topic: AnalyticsTopics['exhibitors'], deps: ConsumerDeps) {
  return snapshotConsumer(topic, deps, 'exhibitor-state', exhibitorSnapshot);
}
