import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { Id, text } from '../../primitives.ts';
import { BudgetBand } from '../../vocab/budget-bands.ts';
import { CountryCode } from '../../vocab/countries.ts';
import { SectorCode } from '../../vocab/sectors.ts';
import { WorldRegion } from '../../vocab/world-regions.ts';

/** A purchase requirement a buyer posts ahead of the expo (CIIE collects ~12,000 of them). */
export const PurchaseRequirementBody = z.object({
  sectors: z.array(SectorCode).min(1).max(20),
  keywords: z.array(text(64)).max(20),
  /** Free text with its unit, e.g. "500 t per year": units vary too much by sector to model. */
  quantity: text(100).optional(),
  budgetBand: BudgetBand.optional(),
  originCountries: z.array(CountryCode).max(50).optional(),
  originRegions: z.array(WorldRegion).max(10).optional(),
});
export type PurchaseRequirementBody = z.infer<typeof PurchaseRequirementBody>;

export const PurchaseRequirement = PurchaseRequirementBody.extend({
  requirementId: Id,
  buyerId: Id,
  createdAt: IsoDateTime,
});
export type PurchaseRequirement = z.infer<typeof PurchaseRequirement>;

/** `GET /v1/buyers/:buyerId/requirements`. */
export const PurchaseRequirementsResponse = z.object({ items: z.array(PurchaseRequirement) });
export type PurchaseRequirementsResponse = z.infer<typeof PurchaseRequirementsResponse>;

/** `DELETE /v1/buyers/:buyerId/requirements/:requirementId`. */
export const RequirementParams = z.object({ buyerId: Id, requirementId: Id });
export type RequirementParams = z.infer<typeof RequirementParams>;
