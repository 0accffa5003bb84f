import { DedicatedRedis } from '@expo/testkit';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflict, createRedisClient, dependencyUnavailable, redisErrorMapper, ScriptRunner, type RedisClient } from '../src/index.ts';
import { classifyServiceFailure } from '../src/failure-policy.ts';

// The classifier against the errors a real ioredis client raises on a real Redis in trouble: if an
// ioredis upgrade renamed one, a consumer would dead-letter valid records; this test says so first.
let redis: DedicatedRedis;
const clients: RedisClient[] = [];
beforeAll(async () => {
  redis = await DedicatedRedis.start();
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.close();
});

function client(options: { commandTimeoutMs?: number } = {}): RedisClient {
  const c = createRedisClient({ url: redis.url, ...options });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

async function failureOf(work: Promise<unknown>): Promise<{ retryable: boolean; code: string; message: string }> {
  const error = await work.then(
    () => {
      throw new Error('expected the command to fail');
    },
    (e: unknown) => e,
  );
  return { ...classifyServiceFailure(error), message: (error as Error).message };
}

const ready = (c: RedisClient) => expect.poll(() => c.status, { timeout: 10_000, interval: 10, message: 'the Redis client did not connect' }).toBe('ready');

describe('the consumers’ failure policy against real Redis errors', () => {
  it('Redis full under noeviction (OOM), for a command and inside a script, is retryable', async () => {
    const c = client();
    await ready(c);
    const admin = client();
    await ready(admin);
    await admin.config('SET', 'maxmemory', '1');
    try {
      expect(await failureOf(c.set('k', 'v'))).toMatchObject({ retryable: true, code: 'redis_oom' });
      expect(await failureOf(c.eval("redis.call('SET', KEYS[1], 'v') return 1", 1, 'k'))).toMatchObject({ retryable: true, code: 'redis_oom' });
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
  });

  it('a replica that took the writes’ address (READONLY) is retryable', async () => {
    const c = client();
    await ready(c);
    await c.replicaof('127.0.0.1', '1');
    try {
      expect(await failureOf(c.set('k', 'v'))).toMatchObject({ retryable: true, code: 'redis_readonly' });
    } finally {
      await c.replicaof('NO', 'ONE');
    }
  });

  it('a Redis Cluster slot answered from elsewhere mid-failover (MOVED, ASK) is retryable, and a 503 on a route', () => {
    // The reply ioredis handed a scan request in a chaos cluster run once its redirections ran out.
    // ioredis types its ReplyError class as any; these are the replies it builds.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call
    const moved: Error = new ReplyError('MOVED 4164 127.0.0.1:35261');
    expect(classifyServiceFailure(moved)).toMatchObject({ retryable: true, code: 'redis_moved' });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-call
    const ask: Error = new ReplyError('ASK 4164 127.0.0.1:35261');
    expect(classifyServiceFailure(ask)).toMatchObject({ retryable: true, code: 'redis_ask' });
    expect(redisErrorMapper(2)(moved)).toMatchObject({ status: 503 });
  });

  it('a guarded script on a lost state (STATELOST) is retryable', async () => {
    const c = client();
    await ready(c);
    const scripts = new ScriptRunner(c, { noop: 'return 1' }, { marker: 'policy:marker', lease: 'policy:lease' });
    expect(await failureOf(scripts.run('noop', []))).toMatchObject({ retryable: true, code: 'redis_statelost' });
  });

  it('a Redis stalled by a long script: the command timeout, then BUSY, are retryable', async () => {
    const stalled = client({ commandTimeoutMs: 100 });
    const patient = client({ commandTimeoutMs: 5000 });
    const runner = client({ commandTimeoutMs: 10_000 });
    const killer = client();
    await Promise.all([stalled, patient, runner, killer].map(ready));
    await killer.config('SET', 'busy-reply-threshold', '300');
    const loop = runner.eval('while true do end', 0).catch(() => undefined);
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(await failureOf(stalled.get('k'))).toMatchObject({ retryable: true, code: 'redis_timeout', message: 'Command timed out' });
      await new Promise((r) => setTimeout(r, 400));
      expect(await failureOf(patient.get('k'))).toMatchObject({ retryable: true, code: 'redis_busy' });
    } finally {
      await killer.script('KILL');
      await loop;
      await killer.config('SET', 'busy-reply-threshold', '5000');
    }
  });

  it('Redis unreachable: no offline queue, a closed connection, a command cut off by the drop are retryable', async () => {
    const c = client();
    await ready(c);
    const queued = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    queued.on('error', () => undefined);
    clients.push(queued);
    await ready(queued);
    const closed = client();
    await ready(closed);
    closed.disconnect();
    await redis.stop();
    try {
      await expect.poll(() => c.status, { timeout: 10_000, interval: 10, message: 'the client did not see Redis go away' }).not.toBe('ready');
      expect(await failureOf(c.get('k'))).toMatchObject({
        retryable: true,
        code: 'redis_unreachable',
        message: "Stream isn't writeable and enableOfflineQueue options is false",
      });
      expect(await failureOf(queued.get('k'))).toMatchObject({
        retryable: true,
        code: 'redis_unreachable',
        message: expect.stringContaining('max retries per request'),
      });
      expect(await failureOf(closed.get('k'))).toMatchObject({ retryable: true, code: 'redis_unreachable', message: 'Connection is closed.' });
    } finally {
      await redis.restart();
    }
  });

  it('errors about the record or the code are not retryable, whatever their message mentions', async () => {
    const c = client();
    await ready(c);
    await c.set('a-string', 'v');
    expect(await failureOf(c.hget('a-string', 'f'))).toMatchObject({ retryable: false, code: 'redis_reply' });
    expect(await failureOf(c.eval('return nosuchglobal.x', 0))).toMatchObject({ retryable: false, code: 'redis_reply' });
    // What badge-scanning's message regex took for an outage, retrying it for ever.
    expect(classifyServiceFailure(new Error('gate connection hall-7 → hall-8 timed out in the registry: redis key missing'))).toEqual({
      retryable: false,
      code: 'handler_error',
    });
    expect(classifyServiceFailure(conflict('slot taken'))).toEqual({ retryable: false, code: 'app_conflict' });
    expect(classifyServiceFailure(dependencyUnavailable('Zone (being changed by another request)'))).toEqual({
      retryable: true,
      code: 'app_dependency_unavailable',
    });
  });
});
