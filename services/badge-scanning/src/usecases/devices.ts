import type { DeviceKeyResponse, Zone } from '@expo/schemas';
import { generateKey, invalidRequest, notFound } from '@expo/service-kit';
import { randomUUID } from 'node:crypto';
import type { ScanningDeps } from './deps.ts';
import { publishZone } from './publish-zone.ts';

type DeviceChange = { kind: 'create'; gateId: string } | { kind: 'rotate' | 'revoke'; deviceId: string };

async function zoneOf(deps: ScanningDeps, change: DeviceChange): Promise<Zone> {
  if (change.kind === 'create') {
    const zoneId = await deps.zones.zoneOfGate(change.gateId);
    const zone = zoneId === null ? null : await deps.zones.get(zoneId);
    if (!zone) throw invalidRequest('The gate does not exist', [{ path: 'gateId', message: `unknown gate ${change.gateId}` }]);
    return zone;
  }
  const zone = await deps.zones.zoneWithDevice(change.deviceId);
  if (!zone) throw notFound('Device');
  return zone;
}

/**
 * Scanner devices live in their gate's zone snapshot as key hashes only; the key itself is shown
 * once. Rotating replaces the hash (the old key stops working at once), revoking deactivates it.
 */
export async function changeDevice(deps: ScanningDeps, change: DeviceChange): Promise<DeviceKeyResponse | null> {
  return deps.zones.exclusive(async () => {
    const zone = await zoneOf(deps, change);
    const generated = change.kind === 'revoke' ? null : generateKey('dev');
    let result: DeviceKeyResponse | null = null;
    const gates = zone.gates.map((gate) => {
      if (change.kind === 'create') {
        if (gate.gateId !== change.gateId) return gate;
        const deviceId = `dev-${randomUUID()}`;
        result = { deviceId, gateId: gate.gateId, deviceKey: generated!.key };
        return { ...gate, devices: [...(gate.devices ?? []), { deviceId, keyHash: generated!.hash, active: true }] };
      }
      const devices = (gate.devices ?? []).map((d) => {
        if (d.deviceId !== change.deviceId) return d;
        if (generated) result = { deviceId: d.deviceId, gateId: gate.gateId, deviceKey: generated.key };
        return generated ? { ...d, keyHash: generated.hash, active: true } : { ...d, active: false };
      });
      return { ...gate, devices };
    });
    await publishZone(deps, { ...zone, gates }, ['gates']);
    return result;
  });
}
