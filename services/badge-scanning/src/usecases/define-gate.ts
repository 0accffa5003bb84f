import type { GateResponse, PutGateBody, Zone } from '@expo/schemas';
import { invalidRequest } from '@expo/service-kit';
import type { ScanningDeps } from './deps.ts';
import { publishZone } from './publish-zone.ts';

/**
 * A gate leads from a zone's parent into the zone. Moving a gate to another zone takes it, with
 * its devices, out of the old zone's snapshot.
 */
export async function defineGate(deps: ScanningDeps, gateId: string, body: PutGateBody): Promise<GateResponse> {
  return deps.zones.exclusive(async () => {
    const target = await deps.zones.get(body.zoneId);
    if (!target) throw invalidRequest('The zone does not exist', [{ path: 'zoneId', message: `unknown zone ${body.zoneId}` }]);
    const currentZoneId = await deps.zones.zoneOfGate(gateId);
    const previous = currentZoneId === null ? null : await deps.zones.get(currentZoneId);
    const existingGate = previous?.gates.find((g) => g.gateId === gateId);
    const gate = { gateId, ...(body.name ? { name: body.name } : existingGate?.name ? { name: existingGate.name } : {}), devices: existingGate?.devices ?? [] };
    if (previous && previous.zoneId !== target.zoneId) {
      await publishZone(deps, { ...previous, gates: previous.gates.filter((g) => g.gateId !== gateId) }, ['gates']);
    }
    const base: Zone = previous?.zoneId === target.zoneId ? previous : target;
    const gates = [...base.gates.filter((g) => g.gateId !== gateId), gate];
    await publishZone(deps, { ...base, gates }, ['gates']);
    return { gateId, zoneId: target.zoneId, ...(gate.name ? { name: gate.name } : {}) };
  });
}
