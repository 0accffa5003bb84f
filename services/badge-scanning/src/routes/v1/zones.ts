import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PutZoneBody, ZoneParams, ZoneResponse, ZonesResponse } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { defineZone } from '../../usecases/define-zone.ts';

/** Zones: the venue tree scanners work in (admin writes, ops reads). */
export const zoneRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/zones/:zoneId',
    { config: { roles: ['admin'] }, schema: { tags: ['zones'], params: ZoneParams, body: PutZoneBody, response: { 200: ZoneResponse, 400: ErrorBodySchema } } },
    async (request) => defineZone(app.scanning, request.params.zoneId, request.body),
  );
  app.get('/zones', { config: { roles: ['admin', 'ops'] }, schema: { tags: ['zones'], response: { 200: ZonesResponse } } }, async () => ({
    zones: await app.scanning.zones.all(),
  }));
};
