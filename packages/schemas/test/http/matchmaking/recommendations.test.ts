import { describe, expect, it } from 'vitest';
import { BuyerRecommendationsResponse, RecommendationsQuery } from '../../../src/http/matchmaking/recommendations.ts';

describe('recommendations', () => {
  it('read limit from the query string, 20 by default', () => {
    expect(RecommendationsQuery.parse({})).toEqual({ limit: 20 });
    expect(RecommendationsQuery.parse({ limit: '5' })).toEqual({ limit: 5 });
    expect(RecommendationsQuery.safeParse({ limit: '0' }).success).toBe(false);
  });

  it('carry the reasons behind each score', () => {
    const items = [
      {
        exhibitorId: 'exh-1',
        score: 12,
        reasons: [
          { code: 'sector_category', points: 10, detail: 'food.dairy' },
          { code: 'least_developed_country', points: 2 },
        ],
      },
    ];
    expect(BuyerRecommendationsResponse.safeParse({ items }).success).toBe(true);
  });
});
