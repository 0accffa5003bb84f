import { z } from 'zod';
import { Id, IsoDate, NonNegativeInt } from '../../primitives.ts';

/** `GET /v1/dwell?zoneId=&date=`. */
export const DwellQuery = z.object({ zoneId: Id, date: IsoDate });
export type DwellQuery = z.infer<typeof DwellQuery>;

/** Visits counted from entry/exit pairs; `toMinutes` null is the open-ended last bin. */
export const DwellBin = z.object({
  fromMinutes: NonNegativeInt,
  toMinutes: NonNegativeInt.nullable(),
  visits: NonNegativeInt,
});
export type DwellBin = z.infer<typeof DwellBin>;

export const DwellResponse = z.object({
  zoneId: Id,
  date: IsoDate,
  visits: NonNegativeInt,
  medianMinutes: z.number().nonnegative().nullable(),
  p90Minutes: z.number().nonnegative().nullable(),
  bins: z.array(DwellBin),
});
export type DwellResponse = z.infer<typeof DwellResponse>;
