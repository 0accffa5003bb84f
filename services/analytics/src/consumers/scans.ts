import { on, type RecordContext } from '@expo/bus';
import { isRetryableFailure } from '@expo/service-kit';
import { scanFacts, type ScanEvent, type ScanFacts } from '../domain/scan-facts.ts';
import { observeApplied } from '../metrics.ts';
import { decodeAppliedCount } from '../store/apply-scans-codec.ts';
import { applyScansCall } from '../store/apply-scans-call.ts';
import { Batcher } from './batcher.ts';
import type { AnalyticsTopics, ConsumerDeps } from './deps.ts';

/** Applies one partition's batch of scans in one atomic script call; answers how many were new. */
export async function applyScans(deps: ConsumerDeps, where: string, scans: readonly ScanFacts[]): Promise<number> {
  const call = applyScansCall(deps.keys, where, scans, deps.dedupeTtlSeconds);
  const applied = decodeAppliedCount(await deps.scripts.run('apply-scans', call.keys, call.args), scans.length);
  deps.onScansApplied?.();
  return applied;
}

/** `scanning.scans.v1`: every accepted, rejected and annulled scan of the expo, folded into the figures. */
export function scansConsumer(topic: AnalyticsTopics['scans'], deps: ConsumerDeps) {
  const batcher = new Batcher<ScanFacts>(async (where, scans) => {
    await applyScans(deps, where, scans);
    if (deps.metrics && scans.length > 0) observeApplied(deps.metrics, topic.name, scans[scans.length - 1]!.eventMs);
  }, isRetryableFailure);
  return on(topic, async (event: ScanEvent, context: RecordContext) => {
    await batcher.add(`${context.topic}:${context.partition}`, scanFacts(event, context, deps.calendar, deps.policy));
  });
}
