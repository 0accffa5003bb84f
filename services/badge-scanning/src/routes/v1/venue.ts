import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GateParams, GateResponse, PutGateBody, PutZoneBody, ZoneParams, ZoneResponse, ZonesResponse } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { defineGate } from '../../usecases/define-gate.ts';
import { defineZone } from '../../usecases/define-zone.ts';

/** Zones and gates: the venue tree scanners work in (admin writes, ops reads). */
export const venueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/v1/zones/:zoneId',
    { config: { roles: ['admin'] }, schema: { tags: ['zones'], params: ZoneParams, body: PutZoneBody, response: { 200: ZoneResponse, 400: ErrorBodySchema } } },
    async (request) => defineZone(app.scanning, request.params.zoneId, request.body),
  );
  app.get('/v1/zones', { config: { roles: ['admin', 'ops'] }, schema: { tags: ['zones'], response: { 200: ZonesResponse } } }, async () => ({
    zones: await app.scanning.zones.all(),
  }));
  app.put(
    '/v1/gates/:gateId',
    { config: { roles: ['admin'] }, schema: { tags: ['zones'], params: GateParams, body: PutGateBody, response: { 200: GateResponse, 400: ErrorBodySchema } } },
    async (request) => defineGate(app.scanning, request.params.gateId, request.body),
  );
};
