import { sectorArea, type PreferenceLevel, type RecommendationReason, type SectorCode } from '@expo/schemas';
import type { BuyerWants, ExhibitorProfile } from './profiles.ts';

/** Points per reason; the organiser's priorities (LDC, African products zone, debuts) come from configuration. */
export interface ScoreWeights {
  readonly sectorCategory: number;
  readonly sectorArea: number;
  readonly keyword: number;
  readonly originCountry: number;
  readonly originRegion: number;
  readonly leastDevelopedCountry: number;
  readonly africanProductsZone: number;
  readonly productDebut: number;
  readonly leadScanned: number;
  readonly hallVisited: number;
  readonly preferenceMust: number;
  readonly preferenceNice: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = {
  sectorCategory: 30,
  sectorArea: 10,
  keyword: 8,
  originCountry: 15,
  originRegion: 8,
  leastDevelopedCountry: 6,
  africanProductsZone: 6,
  productDebut: 4,
  leadScanned: 20,
  hallVisited: 8,
  preferenceMust: 50,
  preferenceNice: 20,
};

export interface PairSignals {
  readonly leadScanned: boolean;
  /** The buyer (or a member of the sub-group) entered the exhibitor's hall. */
  readonly hallVisited: boolean;
  /** The strongest wish either side stated about the other (`no` never reaches scoring). */
  readonly preference?: Exclude<PreferenceLevel, 'no'>;
}

export interface PairScore {
  readonly score: number;
  readonly reasons: RecommendationReason[];
}

const round = (n: number) => Math.round(n * 100) / 100;

function sectorReasons(wants: BuyerWants, exhibitor: ExhibitorProfile, w: ScoreWeights): RecommendationReason[] {
  const reasons: RecommendationReason[] = [];
  const matchedAreas = new Set<string>();
  for (const code of wants.categories) {
    if (!exhibitor.sectors.has(code)) continue;
    reasons.push({ code: 'sector_category', points: w.sectorCategory, detail: code });
    matchedAreas.add(sectorArea(code as SectorCode));
  }
  for (const area of wants.areas) {
    if (!matchedAreas.has(area) && exhibitor.areas.has(area)) reasons.push({ code: 'sector_area', points: w.sectorArea, detail: area });
  }
  return reasons;
}

/**
 * The score of one buyer–exhibitor pair as a sum of explained contributions (`relevance`: the
 * BM25 of the exhibitor's product texts for a keyword's terms); null when nothing
 * relates them (no sector, keyword, lead or stated wish), so organiser weights and hall visits
 * alone never recommend an unrelated exhibitor (a hall holds hundreds of them).
 */
export function scorePair(
  wants: BuyerWants,
  exhibitor: ExhibitorProfile,
  relevance: (terms: readonly string[]) => number,
  signals: PairSignals,
  w: ScoreWeights,
): PairScore | null {
  const reasons = sectorReasons(wants, exhibitor, w);
  for (const { keyword, terms } of wants.keywords) {
    const bm25 = relevance(terms);
    if (bm25 > 0) reasons.push({ code: 'keyword', points: round(w.keyword * bm25), detail: keyword.slice(0, 200) });
  }
  if (signals.leadScanned) reasons.push({ code: 'lead_scanned', points: w.leadScanned });
  if (signals.preference === 'must') reasons.push({ code: 'preference_must', points: w.preferenceMust });
  if (signals.preference === 'nice') reasons.push({ code: 'preference_nice', points: w.preferenceNice });
  if (reasons.length === 0) return null;
  if (signals.hallVisited) reasons.push({ code: 'hall_visited', points: w.hallVisited, detail: exhibitor.hall.slice(0, 200) });
  if (wants.countries.has(exhibitor.country)) reasons.push({ code: 'origin_country', points: w.originCountry, detail: exhibitor.country });
  else if (wants.regions.has(exhibitor.region)) reasons.push({ code: 'origin_region', points: w.originRegion, detail: exhibitor.region });
  if (exhibitor.leastDevelopedCountry) reasons.push({ code: 'least_developed_country', points: w.leastDevelopedCountry, detail: exhibitor.country });
  if (exhibitor.africanProductsZone) reasons.push({ code: 'african_products_zone', points: w.africanProductsZone });
  if (exhibitor.debutProducts.length > 0) reasons.push({ code: 'product_debut', points: w.productDebut, detail: exhibitor.debutProducts[0]!.slice(0, 200) });
  reasons.sort((a, b) => b.points - a.points);
  return { score: round(reasons.reduce((sum, r) => sum + r.points, 0)), reasons };
}
