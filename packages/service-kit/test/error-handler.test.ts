import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, conflict, dependencyUnavailable, ErrorBodySchema, rateLimited, type ServiceApp } from '../src/index.ts';
import { buildTestApp, type CapturedLogs } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function appWithRoutes(): Promise<{ app: ServiceApp; logs: CapturedLogs }> {
  const built = await buildTestApp({ bodyLimit: 1024 });
  app = built.app;
  app.post(
    '/attendees',
    {
      config: { roles: 'public' },
      schema: {
        body: z.object({ email: z.email(), country: z.string().length(2) }),
        response: { 201: z.object({ ok: z.boolean() }), 409: ErrorBodySchema },
      },
    },
    (_request, reply) => {
      reply.status(201);
      return { ok: true };
    },
  );
  app.get('/items', { schema: { querystring: z.object({ limit: z.coerce.number().int().max(100) }) } }, () => ({ items: [] }));
  app.get('/boom', () => {
    throw new Error('connection string postgres://user:secret@db failed');
  });
  app.get('/busy', () => {
    throw dependencyUnavailable('Kafka', 5);
  });
  app.get('/slow-down', () => {
    throw rateLimited(30);
  });
  app.get('/taken', () => {
    throw conflict('Already registered', [{ attendeeId: 'att-1' }]);
  });
  return built;
}

describe('error handling', () => {
  it('answers 400 invalid_request with every body problem in details', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'POST', url: '/attendees', payload: { email: 'nope', country: 'CHN' } });
    expect(res.statusCode).toBe(400);
    const body = ErrorBodySchema.parse(res.json());
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['body.country', 'body.email']);
    expect(body.error.details.every((d) => typeof d.message === 'string')).toBe(true);
  });

  it('answers 400 with the query parameter named', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/items?limit=1000' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'querystring.limit' }] } });
  });

  it('answers 400 for JSON that does not parse', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({
      method: 'POST',
      url: '/attendees',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('answers 415 for a content type nobody parses', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({
      method: 'POST',
      url: '/attendees',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers 404 not_found for an unknown route', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /nowhere', details: [] } });
  });

  it('answers 413 payload_too_large over the body limit', async () => {
    const { app } = await appWithRoutes();
    const email = `${'a'.repeat(2000)}@x.org`;
    const res = await app.inject({ method: 'POST', url: '/attendees', payload: { email, country: 'CN' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 500 with a generic message and logs the real error', async () => {
    const { app, logs } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side', details: [] } });
    expect(res.body).not.toContain('postgres');
    expect(logs.lines.some((l) => l.level === 50 && JSON.stringify(l.err).includes('postgres://'))).toBe(true);
  });

  it('answers 503 with Retry-After for an unavailable dependency', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/busy' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
  });

  it('answers 429 with Retry-After when rate limited', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/slow-down' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
  });

  it('sends an AppError with its status, code and details', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/taken' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: { code: 'conflict', message: 'Already registered', details: [{ attendeeId: 'att-1' }] } });
  });

  it('uses a registered error mapper for dependency client errors', async () => {
    const { app } = await appWithRoutes();
    class BrokerDown extends Error {}
    app.errorMappers.add((error) => (error instanceof BrokerDown ? dependencyUnavailable('Kafka', 2) : undefined));
    app.get('/produce', () => {
      throw new BrokerDown('ECONNREFUSED 10.0.0.1:9092');
    });
    const res = await app.inject({ method: 'GET', url: '/produce' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).not.toContain('10.0.0.1');
  });

  it('keeps status and code together in AppError', () => {
    expect(new AppError('idempotency_conflict', 'x').status).toBe(409);
    expect(new AppError('payload_too_large', 'x').status).toBe(413);
  });
});
