import type { Unconfirmed } from '../store/scan-store.ts';
import { annulRecord, scanRecords } from '../domain/scan-records.ts';
import type { ScanningDeps } from './deps.ts';

/**
 * Writes the records of decisions and annulments Kafka has not acknowledged, the same records
 * with the same ids (every fold dedupes on them), in the order they were decided, and marks them
 * acknowledged. Throws if Kafka does not acknowledge: they stay in the outbox.
 */
export async function publishAgain(deps: ScanningDeps, entries: readonly Unconfirmed[]): Promise<void> {
  if (entries.length === 0) return;
  const records = entries.flatMap((e) =>
    e.annulment
      ? [annulRecord(e.decision, { scanId: e.scanId, eventId: deps.expoId, annulledAtMs: e.annulment.atMs, occupancy: e.annulment.occupancy })]
      : scanRecords(e.decision, { scanId: e.scanId, eventId: deps.expoId, scannedAt: e.scannedAt, offline: e.offline }),
  );
  if (records.length > 0) await deps.producer.send(deps.topics.scans, records);
  await deps.scans.markCommitted(entries.map((e) => e.member));
}

/** One pass of the outbox: what waits longer than `graceMs` (its own request had its chance), oldest first. */
const PAGE = 500;

export async function publishUnconfirmed(deps: ScanningDeps, graceMs: number, limit = PAGE): Promise<number> {
  const entries = await deps.scans.unconfirmed(graceMs, limit);
  await publishAgain(deps, entries);
  return entries.length;
}

/**
 * One pass of the outbox's writer (the app repeats it as a periodic task): a decision whose request
 * died between its script and Kafka's acknowledgement (kill -9, a command timeout, a failed chunk
 * of a batch, a produce timeout) has changed the state, so its records are written until Kafka has
 * them, whether or not the device ever asks again. Several instances may write the same entry:
 * same ids, deduped downstream.
 */
export async function publishAllUnconfirmed(deps: ScanningDeps, graceMs: number): Promise<void> {
  while ((await publishUnconfirmed(deps, graceMs)) === PAGE);
}
