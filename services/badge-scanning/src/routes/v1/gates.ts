import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GateParams, GateResponse, PutGateBody } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { defineGate } from '../../usecases/define-gate.ts';

/** Gates, each in one zone of the venue tree (admin writes). */
export const gateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/gates/:gateId',
    { config: { roles: ['admin'] }, schema: { tags: ['zones'], params: GateParams, body: PutGateBody, response: { 200: GateResponse, 400: ErrorBodySchema } } },
    async (request) => defineGate(app.scanning, request.params.gateId, request.body),
  );
};
