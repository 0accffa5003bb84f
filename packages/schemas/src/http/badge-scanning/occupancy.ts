import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { DisplayName, Id, NonNegativeInt } from '../../primitives.ts';

/**
 * Live occupancy of one zone (badges in it or in a zone inside it). `ratio` is occupancy over
 * capacity, null without a capacity; it may exceed 1 after offline scans, which are never denied.
 */
export const ZoneOccupancy = z.object({
  zoneId: Id,
  name: DisplayName,
  occupancy: NonNegativeInt,
  capacity: z.number().int().positive().nullable(),
  ratio: z.number().nonnegative().nullable(),
});
export type ZoneOccupancy = z.infer<typeof ZoneOccupancy>;

/** `GET /v1/occupancy`. */
export const OccupancyResponse = z.object({ zones: z.array(ZoneOccupancy) });
export type OccupancyResponse = z.infer<typeof OccupancyResponse>;

/** `GET /v1/occupancy/:zoneId` answers one `ZoneOccupancy`. */
export const OccupancyParams = z.object({ zoneId: Id });
export type OccupancyParams = z.infer<typeof OccupancyParams>;

/** The data of one `occupancy` server-sent event of `GET /v1/occupancy/stream`. */
export const OccupancyStreamEvent = ZoneOccupancy.extend({ at: IsoDateTime });
export type OccupancyStreamEvent = z.infer<typeof OccupancyStreamEvent>;
