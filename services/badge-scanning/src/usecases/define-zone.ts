import type { PutZoneBody, Zone } from '@expo/schemas';
import { invalidRequest } from '@expo/service-kit';
import type { ScanningDeps } from './deps.ts';
import { changedFields, publishZone } from './publish-zone.ts';

/** Creates or updates a zone; its gates are kept. The tree must stay a tree. */
export async function defineZone(deps: ScanningDeps, zoneId: string, body: PutZoneBody): Promise<Zone> {
  return deps.zones.exclusive(async () => {
    const existing = await deps.zones.get(zoneId);
    if (body.parentId !== null) {
      const all = new Map((await deps.zones.all()).map((z) => [z.zoneId, z]));
      if (!all.has(body.parentId)) throw invalidRequest('The parent zone does not exist', [{ path: 'parentId', message: `unknown zone ${body.parentId}` }]);
      for (let at: string | null = body.parentId; at !== null; at = all.get(at)?.parentId ?? null) {
        if (at === zoneId) throw invalidRequest('A zone cannot be inside itself', [{ path: 'parentId', message: `${body.parentId} is inside ${zoneId}` }]);
      }
    }
    const zone: Zone = { zoneId, ...body, gates: existing?.gates ?? [] };
    return publishZone(deps, zone, changedFields(existing, zone));
  });
}
