import { on, type RecordContext, type TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';
import { applySnapshot } from './snapshot.ts';
import type { ZoneInfo } from '../domain/zone-info.ts';

type ZoneEvent = TopicEvent<typeof TOPICS.zones>;

/** The zone tree (names and capacities for the dashboard); a removed zone is forgotten. */
export function zonesConsumer(topic: AnalyticsTopics['zones'], deps: ConsumerDeps) {
  return on(topic, async (event: ZoneEvent, context: RecordContext) => {
    if (event.type === 'zone.removed') {
      await applySnapshot(deps, context, { state: 'zone-state', id: event.data.zoneId, counters: {}, attributes: { hash: 'zones', value: null } }, 'totals');
      return;
    }
    const z = event.data;
    const info: ZoneInfo = { name: z.name, kind: z.kind, parentId: z.parentId, capacity: z.capacity };
    await applySnapshot(
      deps,
      context,
      { state: 'zone-state', id: z.zoneId, counters: { zones: 1 }, attributes: { hash: 'zones', value: JSON.stringify(info) } },
      'totals',
    );
  });
}
