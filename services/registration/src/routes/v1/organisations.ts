import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DelegationParams,
  DelegationResponse,
  ExhibitorParams,
  ExhibitorResponse,
  RegisterDelegationBody,
  RegisterExhibitorBody,
  RegisterExhibitorResponse,
} from '@expo/schemas';
import { ErrorBodySchema, notFound } from '@expo/service-kit';
import { registerDelegation, registerExhibitor } from '../../usecases/register-organisations.ts';

export const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/exhibitors',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['exhibitors'], body: RegisterExhibitorBody, response: { 201: RegisterExhibitorResponse, 400: ErrorBodySchema } },
    },
    async (request, reply) => {
      const { exhibitor, exhibitorKey } = await registerExhibitor(app.registration, request.body);
      return reply.status(201).send({ ...exhibitor, exhibitorKey });
    },
  );
  app.get(
    '/v1/exhibitors/:id',
    { config: { roles: ['admin'] }, schema: { tags: ['exhibitors'], params: ExhibitorParams, response: { 200: ExhibitorResponse, 404: ErrorBodySchema } } },
    async (request) => {
      const exhibitor = await app.registration.store.exhibitor(request.params.id);
      if (!exhibitor) throw notFound(`No exhibitor ${request.params.id}`);
      return exhibitor;
    },
  );
  app.post(
    '/v1/delegations',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['delegations'], body: RegisterDelegationBody, response: { 201: DelegationResponse, 400: ErrorBodySchema } },
    },
    async (request, reply) => reply.status(201).send(await registerDelegation(app.registration, request.body)),
  );
  app.get(
    '/v1/delegations/:id',
    { config: { roles: ['admin'] }, schema: { tags: ['delegations'], params: DelegationParams, response: { 200: DelegationResponse, 404: ErrorBodySchema } } },
    async (request) => {
      const delegation = await app.registration.store.delegation(request.params.id);
      if (!delegation) throw notFound(`No delegation ${request.params.id}`);
      return delegation;
    },
  );
};
