import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BuyerParams, PurchaseRequirement, PurchaseRequirementBody, PurchaseRequirementsResponse, RequirementParams } from '@expo/schemas';
import { ErrorBodySchema } from '@expo/service-kit';
import { addRequirement, checkBuyer, deleteRequirement, loadRequirements } from '../../usecases/wishes.ts';

export const requirementRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.matchmaking;
  const errors = { 400: ErrorBodySchema, 404: ErrorBodySchema };
  app.post(
    '/v1/buyers/:buyerId/requirements',
    {
      config: { roles: ['admin', 'attendee'] },
      schema: { tags: ['requirements'], params: BuyerParams, body: PurchaseRequirementBody, response: { 201: PurchaseRequirement, ...errors } },
    },
    async (request, reply) => {
      checkBuyer(deps, request.params.buyerId, request.principal);
      return reply.status(201).send(await addRequirement(deps, request.params.buyerId, request.body));
    },
  );
  app.get(
    '/v1/buyers/:buyerId/requirements',
    {
      config: { roles: ['admin', 'ops', 'attendee'] },
      schema: { tags: ['requirements'], params: BuyerParams, response: { 200: PurchaseRequirementsResponse, ...errors } },
    },
    async (request) => {
      checkBuyer(deps, request.params.buyerId, request.principal);
      return { items: await loadRequirements(deps, request.params.buyerId) };
    },
  );
  app.delete(
    '/v1/buyers/:buyerId/requirements/:requirementId',
    { config: { roles: ['admin', 'attendee'] }, schema: { tags: ['requirements'], params: RequirementParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      checkBuyer(deps, request.params.buyerId, request.principal);
      await deleteRequirement(deps, request.params.buyerId, request.params.requirementId);
      return reply.status(204).send(null);
    },
  );
};
