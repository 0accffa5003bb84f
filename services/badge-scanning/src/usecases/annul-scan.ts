import type { AnnulScanResponse } from '@expo/schemas';
import { isDefiniteRefusal } from '@expo/bus';
import { conflict, forbidden, notFound } from '@expo/service-kit';
import type { Device } from '../domain/device.ts';
import type { ScanningDeps } from './deps.ts';
import { publishAgain } from './unconfirmed.ts';

/**
 * The turnstile did not turn: the device undoes its own accepted scan's move within the window.
 * Inferred moves made before it stay, as they record where the badge was seen. Annulling twice
 * answers the same; the annulment is one `scan.annulled` record, whose id follows from the scan.
 * A write whose fate is unknown keeps the annulment (the outbox writes it again); only a write
 * Kafka certainly refused takes it back.
 */
export async function annulScan(deps: ScanningDeps, device: Device, scanId: string): Promise<AnnulScanResponse> {
  const outcome = await deps.scans.annul(scanId, device.deviceId, deps.annulWindowMs);
  switch (outcome.kind) {
    case 'not_found':
      throw notFound('Scan');
    case 'other_device':
      throw forbidden('Only the device that made a scan may annul it');
    case 'rejected':
      throw conflict('A rejected scan changed nothing: there is nothing to annul');
    case 'expired':
      throw conflict(`A scan may be annulled within ${deps.annulWindowMs / 60_000} minutes only`);
    case 'moved':
      throw conflict('The badge has been scanned again since: that scan cannot be annulled any more');
    case 'already':
    case 'annulled': {
      if (outcome.kind === 'already' && outcome.committed) break;
      // A first annulment, or a repeat of one whose record is not known to be in Kafka: the same
      // record (its id follows from the scan), answered once acknowledged.
      const entry = {
        member: `annul:${scanId}`,
        scanId,
        decision: outcome.decision,
        scannedAt: '',
        offline: false,
        annulment: { atMs: outcome.annulledAtMs, occupancy: outcome.occupancy },
      };
      try {
        await publishAgain(deps, [entry]);
      } catch (error) {
        if (outcome.kind === 'annulled' && isDefiniteRefusal(error)) {
          await deps.scans
            .unannul(scanId, outcome.decision)
            .catch(() => deps.log.error({ scanId }, 'an annulment Kafka refused could not be taken back: run reconcile'));
        }
        throw error;
      }
    }
  }
  const { decision } = outcome;
  return { scanId, annulled: true, zoneId: decision.zoneId, occupancy: Math.max(0, outcome.occupancy), capacity: decision.capacity };
}
