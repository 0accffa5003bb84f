import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FootfallQuery, FootfallResponse } from '@expo/schemas';
import { invalidRequest } from '@expo/service-kit';
import { DAY_MS } from '../../domain/time.ts';

/** Longest range one query may span: 31 days of 1-minute buckets is already 44,640 rows. */
export const MAX_RANGE_MS = 31 * DAY_MS;

export function queryRange(query: FootfallQuery): { from: number; to: number } {
  const from = Date.parse(query.from);
  const to = Date.parse(query.to);
  if (to - from > MAX_RANGE_MS) {
    throw invalidRequest('The range is too long', [{ path: 'to', message: 'at most 31 days after from' }]);
  }
  return { from, to };
}

export const footfallRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/footfall',
    { config: { roles: ['admin', 'ops'] }, schema: { tags: ['footfall'], querystring: FootfallQuery, response: { 200: FootfallResponse } } },
    async (request) => {
      const { from, to } = queryRange(request.query);
      const buckets = await app.analytics.store.footfall(request.query.zoneId, request.query.bucket, from, to);
      return { zoneId: request.query.zoneId, bucket: request.query.bucket, buckets };
    },
  );
};
