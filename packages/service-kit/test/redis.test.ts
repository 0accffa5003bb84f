import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { DedicatedRedis, redisUrl, testNames } from '@expo/testkit';
import type { FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expoKey, hashKey, generateKey, redisPlugin, type Principal, type RedisPluginOptions, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function appWithRedis(options: Partial<RedisPluginOptions> & { url: string }): Promise<ServiceApp> {
  ({ app } = await buildTestApp());
  await app.register(redisPlugin, options);
  const params = z.object({ eventId: z.string() });
  app.post('/v1/visits/:eventId', { config: { roles: 'public' }, schema: { params } }, async (request) => {
    const visits = await request.server.redis.incr(expoKey(request.params.eventId, 'test', 'visits'));
    return { visits };
  });
  return app;
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts connections, reads what it is sent and never answers: a Redis that hangs. */
async function silentServer(): Promise<number> {
  const server = createServer((socket) => socket.resume());
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/**
 * Passes ioredis's connect-time handshake (INFO ready check, CLIENT calls) like a real Redis, then
 * never answers a data command: a Redis that stalls after connecting.
 */
async function stallingServer(): Promise<number> {
  const info = '# Server\r\nloading:0\r\n';
  const server = createServer((socket) => {
    socket.on('data', (chunk) => {
      // One RESP array per command; a chunk may hold several.
      for (const command of chunk
        .toString('latin1')
        .split(/\*\d+\r\n/)
        .filter((c) => c.length > 0)) {
        const name = command.split('\r\n')[1]?.toLowerCase();
        if (name === 'info') socket.write(`$${info.length}\r\n${info}\r\n`);
        else if (name === 'client') socket.write('+OK\r\n');
      }
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('redis plugin', () => {
  it('serves app.redis against the real Redis and reports ready', async () => {
    const { expoId } = testNames('sk-redis');
    const app = await appWithRedis({ url: redisUrl() });
    const first = await app.inject({ method: 'POST', url: `/v1/visits/${expoId}` });
    const second = await app.inject({ method: 'POST', url: `/v1/visits/${expoId}` });
    expect([first.json(), second.json()]).toEqual([{ visits: 1 }, { visits: 2 }]);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: [{ name: 'redis', status: 'ok' }] });
  });

  it('answers 503 with Retry-After in well under 2 s when Redis is down', async () => {
    const app = await appWithRedis({ url: `redis://127.0.0.1:${await closedPort()}`, retryAfterSeconds: 3 });
    const started = Date.now();
    const res = await app.inject({ method: 'POST', url: '/v1/visits/ciie-2024' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json()).toMatchObject({ error: { code: 'dependency_unavailable', message: 'Redis is unavailable, retry later' } });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ checks: [{ name: 'redis', status: 'failed' }] });
  });

  it('answers 503 in under 2 s when Redis accepts connections but never answers', async () => {
    const app = await appWithRedis({ url: `redis://127.0.0.1:${await silentServer()}` });
    const started = Date.now();
    const res = await app.inject({ method: 'POST', url: '/v1/visits/ciie-2024' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
  });

  it('answers 503 in under 2 s when a connected Redis stops answering (command timeout)', async () => {
    const app = await appWithRedis({ url: `redis://127.0.0.1:${await stallingServer()}` });
    expect(app.redis.status).toBe('ready');
    const started = Date.now();
    const res = await app.inject({ method: 'POST', url: '/v1/visits/ciie-2024' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
  });

  it('answers 503 with Retry-After, not 500, when Redis refuses a write for memory (maxmemory, noeviction)', async () => {
    const redis = await DedicatedRedis.start();
    try {
      const app = await appWithRedis({ url: redis.url });
      expect((await app.inject({ method: 'POST', url: '/v1/visits/ciie-2024' })).json()).toEqual({ visits: 1 });
      await app.redis.config('SET', 'maxmemory', '1');
      const res = await app.inject({ method: 'POST', url: '/v1/visits/ciie-2024' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
      await app.redis.config('SET', 'maxmemory', '0');
      expect((await app.inject({ method: 'POST', url: '/v1/visits/ciie-2024' })).json()).toEqual({ visits: 2 });
    } finally {
      await app?.close();
      app = undefined;
      await redis.close();
    }
  });

  it('resolves device keys stored hashed in Redis, and answers 503 (not 401) when it is down', async () => {
    const { expoId } = testNames('sk-keys');
    const device = generateKey('dev');
    const keyOf = (hash: string) => expoKey(expoId, 'test', 'device-key', hash);
    const resolveKey = async (hash: string, request: FastifyRequest): Promise<Principal | null> => {
      const stored = await request.server.redis.hgetall(keyOf(hash));
      return stored.deviceId && stored.gateId ? { role: 'device', id: stored.deviceId, claims: { gateId: stored.gateId } } : null;
    };
    const build = async (url: string) => {
      const built = await buildTestApp({ auth: { resolveKey } });
      await built.app.register(redisPlugin, { url });
      built.app.get('/v1/devices/me', { config: { roles: ['device'] } }, (request) => request.principal);
      return built.app;
    };
    app = await build(redisUrl());
    await app.redis.hset(keyOf(hashKey(device.key)), { deviceId: 'dev-1', gateId: 'gate-3' });
    const me = (key: string) => app?.inject({ method: 'GET', url: '/v1/devices/me', headers: { authorization: `Bearer ${key}` } });
    const ok = await me(device.key);
    expect(ok?.json()).toEqual({ role: 'device', id: 'dev-1', claims: { gateId: 'gate-3' } });
    const unknown = await me(generateKey('dev').key);
    expect(unknown?.statusCode).toBe(401);
    await app.close();

    app = await build(`redis://127.0.0.1:${await closedPort()}`);
    const down = await me(device.key);
    expect(down?.statusCode).toBe(503);
  });
});
