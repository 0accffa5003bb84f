import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OccupancyParams, OccupancyResponse, ZoneOccupancy } from '@expo/schemas';
import { ErrorBodySchema, notFound } from '@expo/service-kit';
import { currentOccupancy, zoneOccupancy } from '../../usecases/occupancy.ts';

/** Live occupancy for organiser staff: a snapshot, one zone, or a server-sent event stream. */
export const occupancyRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { roles: ['admin', 'ops'] as const };
  app.get('/v1/occupancy', { config: { roles: read.roles }, schema: { tags: ['occupancy'], response: { 200: OccupancyResponse } } }, async () => ({
    zones: await currentOccupancy(app.scanning),
  }));
  app.get('/v1/occupancy/stream', { config: { roles: read.roles }, schema: { tags: ['occupancy'] } }, async (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 2000\n\n');
    const at = () => new Date().toISOString();
    const unsubscribe = await app.occupancyFeed.subscribe((changes) => {
      for (const zone of changes) raw.write(`event: occupancy\ndata: ${JSON.stringify({ ...zone, at: at() })}\n\n`);
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    request.raw.on('close', close);
    app.addHook('onClose', async () => {
      close();
      raw.end();
    });
  });
  app.get(
    '/v1/occupancy/:zoneId',
    { config: { roles: read.roles }, schema: { tags: ['occupancy'], params: OccupancyParams, response: { 200: ZoneOccupancy, 404: ErrorBodySchema } } },
    async (request) => {
      const zone = await app.scanning.zones.get(request.params.zoneId);
      if (!zone) throw notFound('Zone');
      const counts = await app.scanning.zones.occupancy();
      return zoneOccupancy(zone, counts.get(zone.zoneId) ?? 0);
    },
  );
};
