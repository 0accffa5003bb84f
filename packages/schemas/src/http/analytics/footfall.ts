import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { Id, NonNegativeInt } from '../../primitives.ts';

export const FOOTFALL_BUCKETS = ['1m', '5m', '1h'] as const;
export const FootfallBucket = z.enum(FOOTFALL_BUCKETS);
export type FootfallBucket = z.infer<typeof FootfallBucket>;

/**
 * `GET /v1/footfall` and `GET /v1/export/footfall.csv`. A `+` offset must be percent-encoded in a
 * query string (`%2B08:00`), or it arrives as a space and the time is rejected.
 */
export const FootfallQuery = z
  .object({ zoneId: Id, bucket: FootfallBucket.default('1m'), from: IsoDateTime, to: IsoDateTime })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from is before to', path: ['to'] });
export type FootfallQuery = z.infer<typeof FootfallQuery>;

/** `in` and `out` count entries and exits in the bucket (the names of docs/http.md). */
export const FootfallBucketRow = z.object({
  start: IsoDateTime,
  in: NonNegativeInt,
  out: NonNegativeInt,
  peakOccupancy: NonNegativeInt,
  uniqueVisitors: NonNegativeInt,
});
export type FootfallBucketRow = z.infer<typeof FootfallBucketRow>;

export const FootfallResponse = z.object({
  zoneId: Id,
  bucket: FootfallBucket,
  buckets: z.array(FootfallBucketRow),
});
export type FootfallResponse = z.infer<typeof FootfallResponse>;

/** Header row of `footfall.csv`, one line per bucket after it. */
export const FOOTFALL_CSV_COLUMNS = ['zoneId', 'start', 'in', 'out', 'peakOccupancy', 'uniqueVisitors'] as const;
