import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PreferenceBody, PreferenceResponse } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { setPreference } from '../../usecases/wishes.ts';

export const preferenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/v1/preferences',
    {
      config: { roles: ['admin', 'attendee', 'exhibitor'] },
      schema: { tags: ['preferences'], body: PreferenceBody, response: { 200: PreferenceResponse, 400: ErrorBodySchema, 404: ErrorBodySchema } },
    },
    async (request) => {
      await setPreference(app.matchmaking, request.body, request.principal);
      return { ...request.body, updatedAt: app.matchmaking.now().toISOString() };
    },
  );
};
