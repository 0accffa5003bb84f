import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BadgeParams } from '@expo/schemas';
import { ErrorBodySchema, forbidden, notFound } from '@expo/service-kit';
import { renderBadgeSvg } from '@expo/badges';
import { badgeTokenOf } from '../../domain/badge-token.ts';

export const badgeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/badges/:badgeId/badge.svg',
    {
      config: { roles: ['admin', 'attendee'] },
      schema: { tags: ['badges'], params: BadgeParams, response: { 200: z.string(), 403: ErrorBodySchema, 404: ErrorBodySchema } },
    },
    async (request, reply) => {
      const { badgeId } = request.params;
      if (request.principal.role === 'attendee' && request.principal.id !== badgeId) throw forbidden('A badge token opens its own badge only');
      const badge = await app.registration.store.badge(badgeId);
      const attendee = badge ? await app.registration.store.attendee(badge.attendeeId) : null;
      if (!badge || !attendee) throw notFound(`No badge ${badgeId}`);
      const token = badgeTokenOf(badge, app.registration.expo.expoId, app.keyRing);
      if (!token) throw notFound(`Badge ${badgeId} was signed with a retired key; reissue it`);
      const svg = renderBadgeSvg({
        token,
        badgeId,
        name: attendee.name,
        nameLocal: attendee.nameLocal,
        organisation: attendee.organisation,
        country: attendee.country,
        category: attendee.category,
        validFrom: badge.validFrom,
        validTo: badge.validTo,
      });
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-store').send(svg);
    },
  );
};
