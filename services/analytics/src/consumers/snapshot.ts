import { on, type RecordContext, type TopicEvent, type TopicHandler } from '@expo/bus';
import type { TopicContract } from '@expo/schemas';
import { applySnapshotCall, decodeSnapshotOutcome } from '../store/apply-snapshot-codec.ts';
import type { ConsumerDeps } from './deps.ts';

export interface Snapshot {
  /** Hash of the entities' last counters, by its name (`AnalyticsKeys.hash`). */
  readonly state: string;
  readonly id: string;
  /** Counter increments this entity contributes now; empty when it no longer counts. */
  readonly counters: Readonly<Record<string, number>>;
  /** Hash (by its name) where the entity's attributes are kept for other consumers, if any. */
  readonly attributes?: { readonly hash: string; readonly value: string | null };
}

/** Replaces an entity's snapshot and moves its counters (apply-snapshot.lua), unless its position was applied. */
export async function applySnapshot(deps: ConsumerDeps, context: RecordContext, snapshot: Snapshot, countersHash: string): Promise<void> {
  const call = applySnapshotCall(deps.keys, {
    where: `${context.topic}:${context.partition}`,
    offset: context.offset,
    recordKey: context.key ?? '',
    id: snapshot.id,
    stateHash: snapshot.state,
    countersHash,
    counters: snapshot.counters,
    ...(snapshot.attributes ? { attributes: snapshot.attributes } : {}),
  });
  decodeSnapshotOutcome(await deps.scripts.run('apply-snapshot', call.keys, call.args));
}

/**
 * A consumer of a compacted topic whose every record is one entity's whole snapshot: it replaces
 * the entity's counters, and a tombstone (the entity erased) takes them back.
 */
export function snapshotConsumer<C extends TopicContract>(
  topic: C,
  deps: ConsumerDeps,
  state: string,
  snapshotOf: (event: TopicEvent<C>) => Snapshot,
): TopicHandler<C> {
  return on(
    topic,
    async (event: TopicEvent<C>, context: RecordContext) => {
      await applySnapshot(deps, context, snapshotOf(event), 'totals');
    },
    (key: string, context: RecordContext) => applySnapshot(deps, context, { state, id: key, counters: {} }, 'totals'),
  );
}
