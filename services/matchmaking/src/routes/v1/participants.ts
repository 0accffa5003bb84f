import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ParticipantParams, ParticipantScheduleResponse, type Meeting } from '@expo/schemas';
import { ErrorBodySchema, forbidden, notFound } from '@expo/service-kit';
import { actsFor } from '../../usecases/parties.ts';

/** Scheduled meetings by slot start, then the others by when they were requested. */
function timeOrder(a: Meeting, b: Meeting): number {
  const at = a.slot ? Date.parse(a.slot.start) : Infinity;
  const bt = b.slot ? Date.parse(b.slot.start) : Infinity;
  return at - bt || a.requestedAt.localeCompare(b.requestedAt);
}

export const participantRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.matchmaking;
  app.get(
    '/v1/participants/:id/schedule',
    {
      config: { roles: ['admin', 'ops', 'attendee', 'exhibitor'] },
      schema: { tags: ['meetings'], params: ParticipantParams, response: { 200: ParticipantScheduleResponse, 404: ErrorBodySchema } },
    },
    async (request) => {
      const { id } = request.params;
      if (request.principal.role !== 'ops' && !actsFor(request.principal, id, deps.recommender)) throw forbidden('A participant sees its own schedule only');
      const items = (await deps.meetings.ofParticipant(id)).map((s) => s.meeting).sort(timeOrder);
      if (items.length === 0 && !deps.recommender.buyers.has(id) && !deps.recommender.exhibitors.has(id)) throw notFound('Participant');
      return { items };
    },
  );
};
