import type { Principal } from '@expo/service-kit';
import type { Device } from './device.ts';

/** The principal a device key resolves to: its id and, as a claim, its one gate. */
export function devicePrincipal(device: Device): Principal {
  return { role: 'device', id: device.deviceId, claims: { gateId: device.gateId } };
}

export function deviceOf(principal: Principal): Device {
  const gateId = principal.claims?.gateId;
  if (principal.role !== 'device' || !principal.id || !gateId) throw new Error('a device route was reached without a device principal');
  return { deviceId: principal.id, gateId };
}
