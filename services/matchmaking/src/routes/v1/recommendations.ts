import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  BuyerParams,
  BuyerRecommendationsResponse,
  ExhibitorRecommendationsParams,
  ExhibitorRecommendationsResponse,
  RecommendationsQuery,
} from '@expo/schemas';
import { ErrorBodySchema, forbidden, notFound } from '@expo/service-kit';
import { timeRecommendations } from '../../metrics.ts';
import { actsFor } from '../../usecases/parties.ts';

export const recommendationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { recommender, metrics } = app.matchmaking;
  app.get(
    '/v1/buyers/:buyerId/recommendations',
    {
      config: { roles: ['admin', 'ops', 'attendee'] },
      schema: {
        tags: ['recommendations'],
        params: BuyerParams,
        querystring: RecommendationsQuery,
        response: { 200: BuyerRecommendationsResponse, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      const { buyerId } = request.params;
      if (request.principal.role === 'attendee' && !actsFor(request.principal, buyerId, recommender))
        throw forbidden('A buyer sees its own recommendations only');
      if (!recommender.buyers.has(buyerId)) throw notFound('Buyer');
      return { items: timeRecommendations(metrics, () => recommender.forBuyer(buyerId, request.query.limit)) };
    },
  );
  app.get(
    '/v1/exhibitors/:exhibitorId/recommendations',
    {
      config: { roles: ['admin', 'ops', 'exhibitor'] },
      schema: {
        tags: ['recommendations'],
        params: ExhibitorRecommendationsParams,
        querystring: RecommendationsQuery,
        response: { 200: ExhibitorRecommendationsResponse, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      const { exhibitorId } = request.params;
      if (request.principal.role === 'exhibitor' && request.principal.id !== exhibitorId) throw forbidden('An exhibitor sees its own recommendations only');
      if (!recommender.exhibitors.has(exhibitorId)) throw notFound('Exhibitor');
      return { items: timeRecommendations(metrics, () => recommender.forExhibitor(exhibitorId, request.query.limit)) };
    },
  );
};
