import type { DeviceKeyResponse } from '@expo/schemas';
import { forEachLimit } from '../concurrency.ts';
import { VenueTree } from '../venue/venue-tree.ts';
import type { SeedContext } from './seed-context.ts';

/**
 * Zones (parents first) and gates are PUT, so they are idempotent by nature; a device is created
 * only for a gate the state has no key for, since the service shows a key once.
 */
export async function seedVenue(ctx: SeedContext): Promise<void> {
  const { plan, state, scanning } = ctx;
  const zones = new VenueTree(plan.venue).topDown();
  const gates = zones.flatMap((z) => z.gates.map((g) => ({ ...g, zoneId: z.zoneId })));
  const total = zones.length + gates.length * 2;
  let done = 0;
  for (const zone of zones) {
    await scanning.put(`/v1/zones/${zone.zoneId}`, {
      name: zone.name,
      kind: zone.kind,
      parentId: zone.parentId,
      capacity: zone.capacity,
      antiPassback: zone.antiPassback,
    });
    if (!state.zones.includes(zone.zoneId)) state.zones.push(zone.zoneId);
    ctx.progress('venue', ++done, total);
  }
  // A zone's gates and devices live in the zone's snapshot, which the service rewrites whole:
  // two changes to one zone at once would lose one, so each zone's are made one after another.
  await forEachLimit(zones, ctx.concurrency, async (zone) => {
    for (const gate of zone.gates) {
      await scanning.put(`/v1/gates/${gate.gateId}`, { zoneId: zone.zoneId, name: gate.name });
      state.gates[gate.gateId] = zone.zoneId;
      ctx.progress('venue', ++done, total);
    }
    for (const gate of zone.gates) {
      if (!state.devices[gate.gateId]) {
        const { body } = await scanning.post<DeviceKeyResponse>('/v1/devices', { gateId: gate.gateId });
        state.devices[gate.gateId] = { deviceId: body.deviceId, deviceKey: body.deviceKey };
      }
      ctx.progress('venue', ++done, total);
    }
  });
  await ctx.save();
}
