import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BadgeKeysResponse } from '@expo/schemas';

/** The public halves of the signing keys: from memory, so served whatever state Redis is in. */
export const badgeKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/badge-keys', { config: { roles: 'public' }, schema: { tags: ['badges'], response: { 200: BadgeKeysResponse } } }, async (_request, reply) => {
    // Scanners cache this; keys change only on rotation.
    void reply.header('cache-control', 'public, max-age=300');
    return app.keyRing.publicJwks();
  });
};
