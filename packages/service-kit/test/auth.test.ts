import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateKey, type Principal, type ServiceApp } from '../src/index.ts';
import { ADMIN_TOKEN, buildTestApp, OPS_TOKEN } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const device = generateKey('dev');
const devices = new Map<string, Principal>([[device.hash, { role: 'device', id: 'dev-1', claims: { gateId: 'gate-7' } }]]);

/** An app with one admin write route and one device route; `runs` counts handler executions. */
async function appWithRoutes() {
  const built = await buildTestApp({
    auth: { adminTokens: [ADMIN_TOKEN], opsTokens: [OPS_TOKEN], resolveKey: (hash) => Promise.resolve(devices.get(hash) ?? null) },
  });
  app = built.app;
  const runs = { count: 0 };
  app.post('/zones', { config: { roles: ['admin'] }, schema: { body: z.object({ name: z.string() }) } }, (request) => {
    runs.count += 1;
    return { by: request.principal.role };
  });
  app.get('/whoami', { config: { roles: ['admin', 'ops', 'device'] } }, (request) => {
    runs.count += 1;
    return request.principal;
  });
  return { app, runs };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearer auth with roles', () => {
  it('answers 401 without a credential, and nothing runs', async () => {
    const { app, runs } = await appWithRoutes();
    const res = await app.inject({ method: 'POST', url: '/zones', payload: { name: 'Hall 1' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(runs.count).toBe(0);
  });

  it('answers 401 for an unknown token, before even validating the body', async () => {
    const { app, runs } = await appWithRoutes();
    const res = await app.inject({ method: 'POST', url: '/zones', headers: bearer('not-a-real-token-at-all'), payload: { bad: 1 } });
    expect(res.statusCode).toBe(401);
    expect(runs.count).toBe(0);
  });

  it('answers 401 for a malformed Authorization header', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Basic ${ADMIN_TOKEN}` } });
    expect(res.statusCode).toBe(401);
  });

  it('answers 403 for an ops token on an admin route, and nothing runs', async () => {
    const { app, runs } = await appWithRoutes();
    const res = await app.inject({ method: 'POST', url: '/zones', headers: bearer(OPS_TOKEN), payload: { name: 'Hall 1' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(runs.count).toBe(0);
  });

  it('lets an admin token through with request.principal set', async () => {
    const { app, runs } = await appWithRoutes();
    const res = await app.inject({ method: 'POST', url: '/zones', headers: bearer(ADMIN_TOKEN), payload: { name: 'Hall 1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ by: 'admin' });
    expect(runs.count).toBe(1);
  });

  it('resolves a device key through the service resolver, with its claims', async () => {
    const { app } = await appWithRoutes();
    const res = await app.inject({ method: 'GET', url: '/whoami', headers: bearer(device.key) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ role: 'device', id: 'dev-1', claims: { gateId: 'gate-7' } });
  });

  it('answers 403 for a valid device key on an admin route', async () => {
    const { app, runs } = await appWithRoutes();
    const res = await app.inject({ method: 'POST', url: '/zones', headers: bearer(device.key), payload: { name: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(runs.count).toBe(0);
  });

  it('counts refusals on /metrics as auth_failures_total by bounded reason, never by key', async () => {
    const { app } = await appWithRoutes();
    const unknownKey = generateKey('dev');
    const refusals = [
      { headers: {}, status: 401 },
      { headers: { authorization: `Basic ${ADMIN_TOKEN}` }, status: 401 },
      { headers: bearer(unknownKey.key), status: 401 },
      { headers: bearer(unknownKey.key), status: 401 },
      { headers: bearer(device.key), status: 403 },
    ];
    for (const { headers, status } of refusals)
      expect((await app.inject({ method: 'POST', url: '/zones', headers, payload: { name: 'x' } })).statusCode).toBe(status);
    expect((await app.inject({ method: 'POST', url: '/zones', headers: bearer(ADMIN_TOKEN), payload: { name: 'x' } })).statusCode).toBe(200);
    const text = (await app.inject({ url: '/metrics' })).body;
    const count = (reason: string) => Number(new RegExp(`^auth_failures_total\\{reason="${reason}",service="test-service"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect({ missing: count('missing'), malformed: count('malformed'), unknown_key: count('unknown_key'), wrong_role: count('wrong_role') }).toEqual({
      missing: 1,
      malformed: 1,
      unknown_key: 2,
      wrong_role: 1,
    });
    expect(text).toContain('# TYPE auth_failures_total counter');
    expect(text).not.toContain(unknownKey.key.slice(4, 20));
  });

  it('refuses to boot when a write route does not declare who may call it', async () => {
    const built = await buildTestApp();
    app = built.app;
    expect(() => built.app.post('/open', () => 'ok')).toThrow(/must declare config.roles/);
  });

  it('documents the credential and the 401/403 answers in OpenAPI', async () => {
    const { app } = await appWithRoutes();
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
    }>();
    const post = doc.paths['/zones']?.post;
    expect(post?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
  });
});
