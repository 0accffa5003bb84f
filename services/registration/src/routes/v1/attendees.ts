import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AttendeeParams, AttendeeResponse, IdempotencyHeaders, RegisterAttendeeBody, RegisterAttendeeResponse, type IssuedBadge } from '@expo/schemas';
import { ErrorBodySchema, errorBody, invalidRequest, notFound, type ErrorBody } from '@expo/service-kit';
import { badgeTokenOf } from '../../domain/badge-token.ts';
import { bodyHash } from '../../store/idempotency.ts';
import { cancelAttendee, eraseAttendee } from '../../usecases/cancel-attendee.ts';
import { UnconfirmedRegistrationError } from '../../usecases/publish-registrations.ts';
import { registerAttendees, type RegisterOutcome } from '../../usecases/register-attendees.ts';
import { resumeRegistration } from '../../usecases/resume-registration.ts';

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
  throw invalidRequest(
    'The registration refers to something that does not exist',
    outcome.problems.map((p) => ({ path: `body.${p.field}`, message: p.message })),
  );
}

export const attendeeRoutes: FastifyPluginAsyncZod = async (app) => {
  // Issued under a key of the ring: the current one, or an earlier one for a resumed registration.
  const badgeToken = (badge: IssuedBadge) => badgeTokenOf(badge, app.registration.expo.expoId, app.keyRing)!;

  /**
   * A failed request's key: kept `unconfirmed` with the attendee when its registration was kept
   * (Kafka may have its records), so the retry resumes it; left as it was when this request was
   * already such a retry; else freed, as the request changed nothing.
   */
  const keepOrAbandon = async (key: string, hash: string, error: unknown, resuming: boolean) => {
    const kept = error instanceof UnconfirmedRegistrationError ? error.attendeeIds[0] : undefined;
    if (kept) await app.idempotency.unconfirmed(key, hash, kept);
    else if (!resuming) await app.idempotency.abandon(key);
  };

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
      const earlier = key ? await app.idempotency.begin(key, hash) : null;
      if (earlier?.kind === 'answer') {
        const replay = { status: earlier.status, body: earlier.body } as Answer;
        return reply.status(replay.status).header('idempotent-replayed', 'true').send(replay.body);
      }
      let answer: Answer;
      try {
        // A retry of a request whose registration was kept unconfirmed ends with that attendee.
        const resumed = earlier ? await resumeRegistration(app.registration, earlier.attendeeId) : null;
        const outcome = resumed ?? (await registerAttendees(app.registration, [request.body]))[0]!;
        answer = answerOf(outcome, badgeToken);
      } catch (error) {
        if (key) await keepOrAbandon(key, hash, error, earlier !== null);
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
