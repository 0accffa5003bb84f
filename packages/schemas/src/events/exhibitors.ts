import { z } from 'zod';
import { defineEvent } from '../event.ts';
import { ChangedFields, DisplayName, Id, text } from '../primitives.ts';
import { CountryCode } from '../vocab/countries.ts';
import { SectorCode } from '../vocab/sectors.ts';

export const Product = z.object({
  productId: Id,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  description: text(2000).optional(),
  sectors: z.array(SectorCode).min(1).max(20),
  /** A global, Asian or Chinese debut at this expo: CIIE counts and promotes debuts. */
  debut: z.boolean(),
});
export type Product = z.infer<typeof Product>;

/**
 * One exhibitor company with its booth and products, the whole snapshot on every record of the
 * compacted `registration.exhibitors.v1`. The flags are organiser decisions, not derived from
 * `country`: LDC booths are granted per company, and the African products zone is a place.
 */
export const Exhibitor = z.object({
  exhibitorId: Id,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  country: CountryCode,
  sectors: z.array(SectorCode).min(1).max(20),
  hall: text(32),
  booth: text(32),
  fortuneGlobal500: z.boolean(),
  leastDevelopedCountry: z.boolean(),
  africanProductsZone: z.boolean().optional(),
  products: z.array(Product).max(500),
  /**
   * SHA-256 (hex) of the exhibitor's API key: badge-scanning and matchmaking authenticate the
   * exhibitor's lead scans and meeting actions from the log. The key itself is shown once.
   */
  keyHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type Exhibitor = z.infer<typeof Exhibitor>;

const ExhibitorRecord = Exhibitor.extend({ changed: ChangedFields });

export const ExhibitorRegistered = defineEvent('exhibitor.registered', 1, ExhibitorRecord);
export const ExhibitorUpdated = defineEvent('exhibitor.updated', 1, ExhibitorRecord);

export const EXHIBITOR_EVENTS = [ExhibitorRegistered, ExhibitorUpdated] as const;
