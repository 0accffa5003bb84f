import { z } from 'zod';
import { Id, text } from '../../primitives.ts';

/** Query strings arrive as text, hence the coercion. */
export const RecommendationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
export type RecommendationsQuery = z.infer<typeof RecommendationsQuery>;

export const BuyerParams = z.object({ buyerId: Id });
export type BuyerParams = z.infer<typeof BuyerParams>;

export const ExhibitorRecommendationsParams = z.object({ exhibitorId: Id });
export type ExhibitorRecommendationsParams = z.infer<typeof ExhibitorRecommendationsParams>;

/** What can add to (or, for preferences, remove from) a pair's score (docs/matchmaking.md). */
export const RECOMMENDATION_REASON_CODES = [
  'sector_area',
  'sector_category',
  'keyword',
  'origin_country',
  'origin_region',
  'budget_band',
  'least_developed_country',
  'african_products_zone',
  'product_debut',
  'lead_scanned',
  'hall_visited',
  'preference_must',
  'preference_nice',
] as const;
export const RecommendationReasonCode = z.enum(RECOMMENDATION_REASON_CODES);
export type RecommendationReasonCode = z.infer<typeof RecommendationReasonCode>;

/** One contribution to a score: the score is the sum of the reasons' points. */
export const RecommendationReason = z.object({
  code: RecommendationReasonCode,
  points: z.number().finite(),
  /** What matched, e.g. the sector code or keyword; never personal data. */
  detail: text(200).optional(),
});
export type RecommendationReason = z.infer<typeof RecommendationReason>;

const Scored = { score: z.number().finite(), reasons: z.array(RecommendationReason) };

/** `GET /v1/buyers/:buyerId/recommendations`: exhibitors, best first. */
export const BuyerRecommendationsResponse = z.object({ items: z.array(z.object({ exhibitorId: Id, ...Scored })) });
export type BuyerRecommendationsResponse = z.infer<typeof BuyerRecommendationsResponse>;

/** `GET /v1/exhibitors/:exhibitorId/recommendations`: buyers, best first. */
export const ExhibitorRecommendationsResponse = z.object({ items: z.array(z.object({ buyerId: Id, ...Scored })) });
export type ExhibitorRecommendationsResponse = z.infer<typeof ExhibitorRecommendationsResponse>;
