import net from 'node:net';
import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testNames } from '@expo/testkit';
import { TcpProxy } from '../../src/platform/tcp-proxy.ts';

// The proxy between a real ioredis client and the test run's real Redis, and a plain echo server
// for what Redis cannot show (a second target, a half-closed connection, a large transfer).
const names = testNames('tcp-proxy');
const target = new URL(redisUrl());
const opened: Array<{ close(): unknown }> = [];

let echo: net.Server;
let echoPort: number;

function startEcho(): Promise<net.Server> {
  // allowHalfOpen: the echo answers after the client has ended its half, then ends its own.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function proxyToRedis(): Promise<TcpProxy> {
  const proxy = await TcpProxy.start({ targetHost: target.hostname, targetPort: Number(target.port) });
  opened.push(proxy);
  return proxy;
}

function redisVia(proxy: TcpProxy, extra: RedisOptions = {}): Redis {
  const client = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 1, retryStrategy: () => 50, ...extra });
  client.on('error', () => undefined);
  opened.push({ close: () => client.disconnect() });
  return client;
}

/** What the far end sends back for `payload`, read until it ends its half. */
async function roundTrip(port: number, payload: Buffer): Promise<Buffer> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.end(payload);
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  echo = await startEcho();
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});
afterAll(async () => {
  await new Promise((resolve) => echo.close(resolve));
});

describe('TcpProxy in front of Redis', () => {
  it('carries commands both ways', async () => {
    const proxy = await proxyToRedis();
    const redis = redisVia(proxy);
    const key = `${names.keyPrefix}carried`;
    await redis.set(key, 'through the proxy', 'EX', 60);
    expect(await redis.get(key)).toBe('through the proxy');
    expect(proxy.connections).toBe(1);
    await redis.del(key);
  });

  it('delays every chunk in each direction by the latency set, keeping their order', async () => {
    const proxy = await proxyToRedis();
    const redis = redisVia(proxy);
    await redis.ping();
    proxy.setLatency(200);
    const started = performance.now();
    expect(await redis.ping()).toBe('PONG');
    // The request waits 200 ms on its way in and the answer 200 ms on its way out.
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    const pipeline = redis.pipeline();
    for (let i = 0; i < 20; i++) pipeline.echo(`m${i}`);
    const answers = (await pipeline.exec())!.map(([, value]) => value);
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    proxy.setLatency(0);
    expect(await redis.ping()).toBe('PONG');
  });

  it('breaks every open connection on drop: ioredis sees it closed and reconnects', async () => {
    const proxy = await proxyToRedis();
    const redis = redisVia(proxy);
    await redis.ping();
    // Not events.once: it rejects on the 'error' (ECONNRESET) ioredis emits before closing.
    const closed = new Promise((resolve) => redis.once('close', resolve));
    const reconnecting = new Promise((resolve) => redis.once('reconnecting', resolve));
    expect(proxy.dropConnections()).toBe(1);
    await closed;
    await reconnecting;
    expect(await redis.ping()).toBe('PONG');
    expect(proxy.connections).toBe(1);
  });

  it('refuses new connections while told to, open ones keep flowing, and accepts again after', async () => {
    const proxy = await proxyToRedis();
    const before = redisVia(proxy);
    await before.ping();
    proxy.setRefusing(true);
    const refused = redisVia(proxy, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    await expect(refused.connect().then(() => refused.ping())).rejects.toThrow();
    expect(await before.ping()).toBe('PONG');
    expect(proxy.connections).toBe(1);
    proxy.setRefusing(false);
    const after = redisVia(proxy);
    expect(await after.ping()).toBe('PONG');
    expect(proxy.connections).toBe(2);
  });

  it('sends new connections to another target after retarget; open ones stay on the old one', async () => {
    const proxy = await proxyToRedis();
    const redis = redisVia(proxy);
    await redis.ping();
    proxy.retarget(echoPort);
    expect((await roundTrip(proxy.port, Buffer.from('hello, echo'))).toString()).toBe('hello, echo');
    expect(await redis.ping()).toBe('PONG');
  });

  it('closes the client when the target refuses, and the process goes on', async () => {
    const proxy = await proxyToRedis();
    const unused = await startEcho();
    const deadPort = (unused.address() as net.AddressInfo).port;
    await new Promise((resolve) => unused.close(resolve));
    proxy.retarget(deadPort);
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
    socket.on('error', () => undefined);
    await once(socket, 'close');
    expect(proxy.connections).toBe(0);
  });
});

describe('TcpProxy with a plain TCP peer', () => {
  it('half-closes: the client ends its half and still reads the whole answer', async () => {
    const proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: echoPort });
    opened.push(proxy);
    expect((await roundTrip(proxy.port, Buffer.from('half a conversation'))).toString()).toBe('half a conversation');
    await expect.poll(() => proxy.connections).toBe(0);
  });

  it('carries a large transfer intact, with and without latency', async () => {
    const proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: echoPort });
    opened.push(proxy);
    const payload = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
    expect((await roundTrip(proxy.port, payload)).equals(payload)).toBe(true);
    proxy.setLatency(20);
    expect((await roundTrip(proxy.port, payload)).equals(payload)).toBe(true);
  });

  it('stops listening on close and breaks what was open', async () => {
    const proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: echoPort });
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    await expect.poll(() => proxy.connections).toBe(1);
    const closed = once(socket, 'close');
    await proxy.close();
    await closed;
    const late = net.connect({ host: '127.0.0.1', port: proxy.port });
    const [error] = (await once(late, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});
