import { on, type RecordContext } from '@expo/bus';
import { isRetryableFailure } from '@expo/service-kit';
import { scanTuple, type ScanEvent, type ScanTuple } from '../domain/scan-tuple.ts';
import { observeApplied } from '../metrics.ts';
import { applyScansCall } from '../store/apply-scans-call.ts';
import { Batcher } from './batcher.ts';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';

/** Applies one partition's batch of scan tuples in one atomic script call. */
export async function applyScanTuples(deps: ConsumerDeps, where: string, tuples: ScanTuple[]): Promise<number> {
  const call = applyScansCall(deps.keys, where, tuples, deps.dedupeTtlSeconds);
  const applied = await deps.scripts.run<number>('apply-scans', call.keys, call.args);
  deps.onScansApplied?.();
  return applied;
}

/** `scanning.scans.v1`: every accepted, rejected and annulled scan of the expo, folded into the figures. */
export function scansConsumer(topic: AnalyticsTopics['scans'], deps: ConsumerDeps) {
  const batcher = new Batcher<ScanTuple>(async (where, tuples) => {
    await applyScanTuples(deps, where, tuples);
    // The tuple's event time (index 3): scannedAt, or annulledAt for an annulment (docs/analytics.md).
    if (deps.metrics && tuples.length > 0) observeApplied(deps.metrics, topic.name, tuples[tuples.length - 1]![3]);
  }, isRetryableFailure);
  return on(topic, async (event: ScanEvent, context: RecordContext) => {
    await batcher.add(`${context.topic}:${context.partition}`, scanTuple(event, context, deps.calendar, deps.policy));
  });
}
