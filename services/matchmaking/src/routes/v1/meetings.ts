import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeetingOutcomeBody, MeetingParams, MeetingResponse, RequestMeetingBody, RequestMeetingResponse } from '@expo/schemas';
import { ErrorBodySchema, forbidden, notFound } from '@expo/service-kit';
import type { MeetingAction } from '../../domain/meetings/lifecycle.ts';
import { actOnMeeting, requestMeeting } from '../../usecases/meetings.ts';
import { sideOf } from '../../usecases/parties.ts';

const errors = { 400: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema };
const PARTIES = ['admin', 'attendee', 'exhibitor'] as const;

export const meetingRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.matchmaking;
  app.post(
    '/v1/meetings',
    { config: { roles: PARTIES }, schema: { tags: ['meetings'], body: RequestMeetingBody, response: { 201: RequestMeetingResponse, ...errors } } },
    async (request, reply) => {
      const meeting = await requestMeeting(deps, request.body, request.principal);
      return reply.status(201).send({ meetingId: meeting.meetingId, status: 'requested' as const });
    },
  );
  for (const action of ['accept', 'decline', 'cancel'] as const satisfies readonly MeetingAction[]) {
    app.post(
      `/v1/meetings/:meetingId/${action}`,
      { config: { roles: PARTIES }, schema: { tags: ['meetings'], params: MeetingParams, response: { 200: MeetingResponse, ...errors } } },
      async (request) => actOnMeeting(deps, request.params.meetingId, action, request.principal),
    );
  }
  app.post(
    '/v1/meetings/:meetingId/outcome',
    {
      config: { roles: PARTIES },
      schema: { tags: ['meetings'], params: MeetingParams, body: MeetingOutcomeBody, response: { 200: MeetingResponse, ...errors } },
    },
    async (request) => {
      const { held, intendedDealUsd } = request.body;
      return actOnMeeting(
        deps,
        request.params.meetingId,
        held ? 'held' : 'no_show',
        request.principal,
        intendedDealUsd === undefined ? {} : { intendedDealUsd },
      );
    },
  );
  app.get(
    '/v1/meetings/:meetingId',
    {
      config: { roles: ['admin', 'ops', 'attendee', 'exhibitor'] },
      schema: { tags: ['meetings'], params: MeetingParams, response: { 200: MeetingResponse, 404: ErrorBodySchema } },
    },
    async (request) => {
      const stored = await deps.meetings.get(request.params.meetingId);
      if (!stored) throw notFound('Meeting');
      if (request.principal.role !== 'ops' && sideOf(request.principal, stored.meeting, deps.recommender) === null)
        throw forbidden('Only the meeting’s parties see it');
      return stored.meeting;
    },
  );
};
