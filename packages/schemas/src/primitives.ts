import { z } from 'zod';

/**
 * An entity id. Ids end up in URLs, Redis keys (where `{` `}` would break the hash tag) and Kafka
 * keys, so they are restricted to a URL- and key-safe alphabet and a bounded length.
 */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'ids use letters, digits and _ . : - only');
export type Id = z.infer<typeof Id>;

/** A calendar day, `YYYY-MM-DD` (badge validity, registration days, summary queries). */
export const IsoDate = z.iso.date();
export type IsoDate = z.infer<typeof IsoDate>;

/** Human-entered text shown back to people; bounded so one record never grows without limit. */
export function text(max: number) {
  return z.string().min(1).max(max);
}

/** A display name of a person, organisation, zone or product, in Latin script or local script. */
export const DisplayName = text(200);

export const NonNegativeInt = z.number().int().nonnegative();

/** US dollars, as the expo reports intended turnover. */
export const UsdAmount = z.number().nonnegative().finite();

/**
 * Names of the snapshot fields that changed in this record; every field on creation. Plain strings
 * rather than an enum of field names, so a reader built before a field was added still accepts it.
 */
export const ChangedFields = z.array(z.string().min(1).max(64)).max(64);
