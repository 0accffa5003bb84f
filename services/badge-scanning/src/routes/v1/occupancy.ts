import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OccupancyParams, OccupancyResponse, ZoneOccupancy } from '@expo/schemas';
import { ErrorBodySchema, notFound } from '@expo/service-kit';
import { currentOccupancy, zoneOccupancy } from '../../usecases/occupancy.ts';

/** Live occupancy for organiser staff: a snapshot, one zone, or a server-sent event stream. */
export const occupancyRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { roles: ['admin', 'ops'] as const };
  // Open streams, ended as the service begins to close: the server waits for open connections
  // before onClose runs, and a hook cannot be added once it listens.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });
  app.get('/occupancy', { config: { roles: read.roles }, schema: { tags: ['occupancy'], response: { 200: OccupancyResponse } } }, async () => ({
    zones: await currentOccupancy(app.scanning),
  }));
  app.get('/occupancy/stream', { config: { roles: read.roles }, schema: { tags: ['occupancy'] } }, async (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write('retry: 2000\n\n');
    const at = () => new Date().toISOString();
    let unsubscribe = () => {};
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    const end = () => {
      streams.delete(end);
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    };
    // Counted before the feed answers: a shutdown while it subscribes ends this stream too.
    streams.add(end);
    request.raw.on('close', end);
    const stop = await app.occupancyFeed.subscribe((changes) => {
      for (const zone of changes) raw.write(`event: occupancy\ndata: ${JSON.stringify({ ...zone, at: at() })}\n\n`);
    });
    if (!streams.has(end)) return stop();
    unsubscribe = stop;
  });
  app.get(
    '/occupancy/:zoneId',
    { config: { roles: read.roles }, schema: { tags: ['occupancy'], params: OccupancyParams, response: { 200: ZoneOccupancy, 404: ErrorBodySchema } } },
    async (request) => {
      const zone = await app.scanning.zones.get(request.params.zoneId);
      if (!zone) throw notFound('Zone');
      const counts = await app.scanning.zones.occupancy();
      return zoneOccupancy(zone, counts.get(zone.zoneId) ?? 0);
    },
  );
};
