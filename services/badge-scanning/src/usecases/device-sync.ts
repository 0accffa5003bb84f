import type { DeviceSyncResponse } from '@expo/schemas';
import { invalidRequest, notFound } from '@expo/service-kit';
import type { Device } from '../domain/device.ts';
import type { ScanningDeps } from './deps.ts';

const MAX_REVOCATIONS = 100_000;

/**
 * What a scanner needs to decide alone while its network is gone: keys, revocations since its
 * cursor (a sequence number, so none is ever skipped), its gate's zone and rules.
 */
export async function deviceSync(deps: ScanningDeps, device: Device, since: string | undefined): Promise<DeviceSyncResponse> {
  const cursor = since === undefined ? 0 : Number(since);
  if (!Number.isSafeInteger(cursor) || cursor < 0)
    throw invalidRequest('Invalid cursor', [{ path: 'since', message: 'expected the cursor of a previous sync' }]);
  const zoneId = await deps.zones.zoneOfGate(device.gateId);
  const zone = zoneId === null ? null : await deps.zones.get(zoneId);
  if (!zone) throw notFound('Gate');
  const [keys, revocations] = await Promise.all([deps.registry.badgeKeys(), deps.registry.revocationsSince(cursor, MAX_REVOCATIONS)]);
  const { gates: _gates, ...rules } = zone;
  return {
    eventId: deps.expoId,
    serverTime: new Date(deps.now()).toISOString(),
    keys,
    revocations: revocations.entries,
    gate: { gateId: device.gateId, zoneId: zone.zoneId },
    zone: rules,
    cursor: String(revocations.cursor),
  };
}
