import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DwellQuery, DwellResponse } from '@expo/schemas';

export const dwellRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/dwell',
    { config: { roles: ['admin', 'ops'] }, schema: { tags: ['dwell'], querystring: DwellQuery, response: { 200: DwellResponse } } },
    async (request) => {
      const { zoneId, date } = request.query;
      return { zoneId, date, ...(await app.analytics.store.dwell(zoneId, date)) };
    },
  );
};
