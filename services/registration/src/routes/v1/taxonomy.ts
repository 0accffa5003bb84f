import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SECTOR_AREAS, TaxonomyResponse } from '@expo/schemas';

export const taxonomyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/taxonomy', { config: { roles: 'public' }, schema: { tags: ['taxonomy'], response: { 200: TaxonomyResponse } } }, async () => ({
    areas: SECTOR_AREAS.map((a) => ({ ...a, categories: [...a.categories] })),
  }));
};
