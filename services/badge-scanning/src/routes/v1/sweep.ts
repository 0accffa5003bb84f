import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDateFormatter } from '@expo/badges';
import { sweepEveryone } from '../../usecases/sweep.ts';

/**
 * An organiser operation the service adds to the contract (docs/http.md): the closing sweep on
 * demand (it also runs on its schedule).
 */
export const sweepRoutes: FastifyPluginAsyncZod = async (app) => {
  const day = localDateFormatter(app.scanning.timeZone);
  app.post(
    '/sweep',
    { config: { roles: ['admin'] }, schema: { tags: ['operations'], response: { 200: z.object({ swept: z.number().int().nonnegative() }) } } },
    async () => {
      const now = new Date(app.scanning.now());
      return { swept: await sweepEveryone(app.scanning, day(now), now) };
    },
  );
};
