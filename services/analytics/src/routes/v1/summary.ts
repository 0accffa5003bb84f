import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NonNegativeInt, SummaryQuery, SummaryResponse } from '@expo/schemas';

/**
 * The summary of docs/http.md plus optional fields (a service may add them): the registration funnel, the
 * visitor mix of the day's visitors (`category:`, `country:`, `sector:` and `unknown-badge`
 * counts) and `late`, scans recorded beyond the grace period and so outside their buckets.
 */
export const AnalyticsSummaryResponse = SummaryResponse.extend({
  funnel: z.object({ registered: NonNegativeInt, badgeIssued: NonNegativeInt, firstEntry: NonNegativeInt }).optional(),
  visitorMix: z.record(z.string(), NonNegativeInt).optional(),
  late: NonNegativeInt.optional(),
});

export type Summary = z.infer<typeof AnalyticsSummaryResponse>;

export const summaryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/summary',
    { config: { roles: ['admin', 'ops'] }, schema: { tags: ['summary'], querystring: SummaryQuery, response: { 200: AnalyticsSummaryResponse } } },
    async (request) => app.analytics.store.summary(request.query.date ?? null),
  );
};
