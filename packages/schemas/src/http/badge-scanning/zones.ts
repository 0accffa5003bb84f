import { z } from 'zod';
import { Zone, ZoneId } from '../../events/zones.ts';

/** `PUT /v1/zones/:zoneId` (admin). */
export const ZoneParams = z.object({ zoneId: ZoneId });
export type ZoneParams = z.infer<typeof ZoneParams>;

/** The zone's own settings; its gates are set with `PUT /v1/gates/:gateId`. */
export const PutZoneBody = Zone.omit({ zoneId: true, gates: true });
export type PutZoneBody = z.infer<typeof PutZoneBody>;

export const ZoneResponse = Zone;
export type ZoneResponse = z.infer<typeof ZoneResponse>;

/** `GET /v1/zones`. */
export const ZonesResponse = z.object({ zones: z.array(Zone) });
export type ZonesResponse = z.infer<typeof ZonesResponse>;
