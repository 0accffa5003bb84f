import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * What the dashboard reads: every zone's live occupancy against capacity (zones seen in scans but
 * missing from the zone tree are listed with `unknown: true`), once as JSON and as a stream of
 * server-sent events (`live` on every change, `summary` every few seconds).
 */
export const liveRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/live', { config: { roles: ['admin', 'ops'] }, schema: { tags: ['live'] } }, async () => ({
    zones: await app.analytics.store.live(),
    throughput: await app.analytics.store.throughput(Date.now(), 30),
  }));

  app.get('/v1/live/stream', { config: { roles: ['admin', 'ops'] }, schema: { tags: ['live'] } }, async (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write('retry: 2000\n\n');
    app.liveHub.attach(reply.raw);
    request.log.debug({ clients: app.liveHub.clients }, 'dashboard stream opened');
  });
};
