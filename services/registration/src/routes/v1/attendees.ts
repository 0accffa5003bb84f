import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AttendeeParams, AttendeeResponse, IdempotencyHeaders, RegisterAttendeeBody, RegisterAttendeeResponse, type IssuedBadge } from '@expo/schemas';
import { ErrorBodySchema, errorBody, invalidRequest, notFound, type ErrorBody } from '@expo/service-kit';
import { badgeTokenOf } from '../../domain/badge-token.ts';
import { bodyHash } from '../../store/idempotency.ts';
import { cancelAttendee, eraseAttendee } from '../../usecases/cancel-attendee.ts';
import { registerAttendees, type RegisterOutcome } from '../../usecases/register-attendees.ts';

type Answer = { readonly status: 201; readonly body: RegisterAttendeeResponse } | { readonly status: 409; readonly body: ErrorBody };

function answerOf(outcome: RegisterOutcome, badgeToken: (badge: IssuedBadge) => string): Answer {
  if (outcome.status === 'created') {
    const { attendee, badge } = outcome;
    return { status: 201, body: { attendeeId: attendee.attendeeId, badgeId: attendee.badgeId, badgeToken: badgeToken(badge), category: attendee.category } };
  }
  if (outcome.status === 'duplicate') {
    const details = [{ path: 'body.email', message: 'already registered', attendeeId: outcome.attendeeId }];
    return { status: 409, body: errorBody('conflict', 'This email is already registered for this expo', details) };
  }
  throw invalidRequest('The registration refers to something that does not exist', outcome.problems.map((p) => ({ path: `body.${p.field}`, message: p.message })));
}

export const attendeeRoutes: FastifyPluginAsyncZod = async (app) => {
  // Issued a moment ago under the current key, which is in the ring.
  const badgeToken = (badge: IssuedBadge) => badgeTokenOf(badge, app.registration.expo.expoId, app.keyRing)!;

  app.post(
    '/v1/attendees',
    {
      config: { roles: 'public', rateLimit: app.registrationRateLimit },
      schema: {
        tags: ['attendees'],
        headers: IdempotencyHeaders,
        body: RegisterAttendeeBody,
        response: { 201: RegisterAttendeeResponse, 400: ErrorBodySchema, 409: ErrorBodySchema, 429: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const hash = bodyHash(request.body);
      if (key) {
        const earlier = await app.idempotency.begin(key, hash);
        if (earlier) {
          const replay = earlier as Answer;
          return reply.status(replay.status).header('idempotent-replayed', 'true').send(replay.body);
        }
      }
      let answer: Answer;
      try {
        const [outcome] = await registerAttendees(app.registration, [request.body]);
        answer = answerOf(outcome!, badgeToken);
      } catch (error) {
        if (key) await app.idempotency.abandon(key);
        throw error;
      }
      if (key) await app.idempotency.finish(key, hash, answer);
      return answer.status === 201 ? reply.status(201).send(answer.body) : reply.status(409).send(answer.body);
    },
  );

  app.get(
    '/v1/attendees/:attendeeId',
    { config: { roles: ['admin', 'ops'] }, schema: { tags: ['attendees'], params: AttendeeParams, response: { 200: AttendeeResponse, 404: ErrorBodySchema } } },
    async (request) => {
      const attendee = await app.registration.store.attendee(request.params.attendeeId);
      if (!attendee) throw notFound(`No attendee ${request.params.attendeeId}`);
      return attendee;
    },
  );

  app.delete(
    '/v1/attendees/:attendeeId',
    { config: { roles: ['admin'] }, schema: { tags: ['attendees'], params: AttendeeParams, response: { 200: AttendeeResponse, 404: ErrorBodySchema } } },
    (request) => cancelAttendee(app.registration, request.params.attendeeId),
  );

  app.post(
    '/v1/attendees/:attendeeId/erase',
    { config: { roles: ['admin'] }, schema: { tags: ['attendees'], params: AttendeeParams } },
    async (request, reply) => {
      await eraseAttendee(app.registration, request.params.attendeeId);
      return reply.status(204).send();
    },
  );
};
