import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MatchmakingSession, MatchmakingSessionBody, ScheduleSessionResponse, SessionParams } from '@expo/schemas';
import { ErrorBodySchema, invalidRequest } from '@expo/service-kit';
import { defineSession, draftSchedule, loadSession, publishSchedule } from '../../usecases/schedule-session.ts';

function checkSession(body: MatchmakingSessionBody): void {
  const details = [
    ...body.slots.flatMap((s, i) => (Date.parse(s.start) < Date.parse(s.end) ? [] : [{ path: `body.slots.${i}.end`, message: 'a slot ends after it starts' }])),
    ...duplicates(body.slots.map((s) => s.slotId)).map((id) => ({ path: 'body.slots', message: `slot ${id} is listed twice` })),
    ...overlapping(body.slots).map(([a, b]) => ({ path: 'body.slots', message: `slots ${a} and ${b} overlap` })),
    ...duplicates(body.tables.map((t) => t.tableId)).map((id) => ({ path: 'body.tables', message: `table ${id} is listed twice` })),
  ];
  if (details.length > 0) throw invalidRequest('The session is not consistent', details);
}

/**
 * Pairs of slots whose times overlap (half-open: one may start as another ends). A session is a
 * grid of rounds: the scheduler holds a party or a table once per slot, so overlapping slots would
 * let it book them twice at once.
 */
function overlapping(slots: MatchmakingSessionBody['slots']): Array<[string, string]> {
  const valid = slots.map((s) => ({ id: s.slotId, start: Date.parse(s.start), end: Date.parse(s.end) })).filter((s) => s.start < s.end);
  valid.sort((a, b) => a.start - b.start || a.end - b.end);
  const pairs: Array<[string, string]> = [];
  let latest: (typeof valid)[number] | undefined;
  for (const slot of valid) {
    if (latest && slot.start < latest.end) pairs.push([latest.id, slot.id]);
    if (!latest || slot.end > latest.end) latest = slot;
  }
  return pairs;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => seen.has(v) || !seen.add(v));
}

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = app.matchmaking;
  const timeZone = app.matchmakingTimeZone;
  app.put(
    '/v1/sessions/:sessionId',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['sessions'], params: SessionParams, body: MatchmakingSessionBody, response: { 200: MatchmakingSession, 400: ErrorBodySchema } },
    },
    async (request) => {
      checkSession(request.body);
      return defineSession(deps, request.params.sessionId, request.body);
    },
  );
  app.get(
    '/v1/sessions/:sessionId',
    { config: { roles: ['admin', 'ops'] }, schema: { tags: ['sessions'], params: SessionParams, response: { 200: MatchmakingSession, 404: ErrorBodySchema } } },
    async (request) => loadSession(deps, request.params.sessionId),
  );
  app.post(
    '/v1/sessions/:sessionId/schedule',
    { config: { roles: ['admin'] }, schema: { tags: ['sessions'], params: SessionParams, response: { 200: ScheduleSessionResponse, 404: ErrorBodySchema } } },
    async (request) => draftSchedule(deps, request.params.sessionId, timeZone),
  );
  app.post(
    '/v1/sessions/:sessionId/schedule/publish',
    { config: { roles: ['admin'] }, schema: { tags: ['sessions'], params: SessionParams, response: { 200: ScheduleSessionResponse, 404: ErrorBodySchema } } },
    async (request) => publishSchedule(deps, request.params.sessionId),
  );
};
