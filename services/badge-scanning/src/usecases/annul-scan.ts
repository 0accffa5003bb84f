import type { AnnulScanResponse } from '@expo/schemas';
import { conflict, forbidden, notFound } from '@expo/service-kit';
import type { Device, ScanningDeps } from './deps.ts';

/**
 * The turnstile did not turn: the device undoes its own accepted scan's move within the window.
 * Inferred moves made before it stay, as they record where the badge was seen. Annulling twice
 * answers the same; the annulment is one `scan.annulled` record.
 */
export async function annulScan(deps: ScanningDeps, device: Device, scanId: string): Promise<AnnulScanResponse> {
  const outcome = await deps.scans.annul(scanId, device.deviceId, deps.now(), deps.annulWindowMs);
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
      break;
    case 'annulled': {
      const own = outcome.decision.moves.find((m) => m.origin === 'device')!;
      try {
        await deps.producer.send(deps.topics.scans, [
          {
            type: 'scan.annulled',
            eventId: deps.expoId,
            data: {
              scanId,
              badgeId: outcome.decision.badgeId,
              deviceId: device.deviceId,
              zoneId: own.zoneId,
              direction: own.direction,
              fromZoneId: own.fromZoneId,
              toZoneId: own.toZoneId,
              annulledAt: new Date(deps.now()).toISOString(),
              occupancyAfter: Math.max(0, outcome.occupancy),
            },
          },
        ]);
      } catch (error) {
        await deps.scans.unannul(scanId, outcome.decision).catch(() => deps.log.error({ scanId }, 'an annulment Kafka refused could not be taken back: run reconcile'));
        throw error;
      }
    }
  }
  const { decision } = outcome;
  return { scanId, annulled: true, zoneId: decision.zoneId, occupancy: Math.max(0, outcome.occupancy), capacity: decision.capacity };
}
