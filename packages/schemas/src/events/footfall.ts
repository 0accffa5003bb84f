import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { Id, NonNegativeInt } from '../primitives.ts';

/**
 * One closed event-time bucket of one zone. A bucket can close again when late (offline) scans
 * land in it: the later record for the same zone and bucketStart supersedes the earlier one, and
 * `late` says how many of its scans arrived after the bucket first closed.
 */
export const FootfallBucketClosed = defineEvent(
  'footfall.bucket_closed',
  1,
  z.object({
    zoneId: Id,
    bucketStart: IsoDateTime,
    /** 1 in v1; a field rather than implied so coarser buckets need no new topic. */
    bucketMinutes: z.number().int().positive().max(1440),
    entries: NonNegativeInt,
    exits: NonNegativeInt,
    peakOccupancy: NonNegativeInt,
    uniqueVisitors: NonNegativeInt,
    late: NonNegativeInt,
  }),
);

export const FOOTFALL_EVENTS = [FootfallBucketClosed] as const;
