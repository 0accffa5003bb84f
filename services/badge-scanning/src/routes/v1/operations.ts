import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sweepEveryone } from '../../usecases/sweep.ts';

/** Organiser operations beyond API.md: the closing sweep on demand (it also runs on its schedule). */
export const operationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/sweep',
    { config: { roles: ['admin'] }, schema: { tags: ['operations'], response: { 200: z.object({ swept: z.number().int().nonnegative() }) } } },
    async () => ({ swept: await sweepEveryone(app.sweepDeps, new Date()) }),
  );
};
