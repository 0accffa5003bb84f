import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FOOTFALL_CSV_COLUMNS, FootfallQuery } from '@expo/schemas';
import { queryRange } from './footfall.ts';

/** Ids use a CSV-safe alphabet and the rest are numbers and ISO times: no field needs quoting. */
export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/export/footfall.csv',
    { config: { roles: ['admin', 'ops'] }, schema: { tags: ['footfall'], querystring: FootfallQuery } },
    async (request, reply) => {
      const { from, to } = queryRange(request.query);
      const { zoneId, bucket } = request.query;
      const rows = await app.analytics.store.footfall(zoneId, bucket, from, to);
      const lines = [FOOTFALL_CSV_COLUMNS.join(','), ...rows.map((r) => [zoneId, r.start, r.in, r.out, r.peakOccupancy, r.uniqueVisitors].join(','))];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="footfall-${zoneId}-${bucket}.csv"`)
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
};
