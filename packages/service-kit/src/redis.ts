import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { redisErrorMapper } from './redis-errors.ts';
import { loadLuaDir, ScriptRunner, type LuaScripts, type StateKeys } from './redis-scripts.ts';

export interface RedisPluginOptions {
  readonly url: string;
  /** Lua scripts by name, or a directory of `<name>.lua` files. */
  readonly scripts?: LuaScripts | string;
  /** Bound on one command; a stalled Redis fails the request instead of hanging it. */
  readonly commandTimeoutMs?: number;
  /**
   * Sends the commands issued in one event-loop tick as one write (ioredis auto-pipelining): a hot
   * path with many concurrent requests then shares socket writes instead of paying one each.
   */
  readonly autoPipelining?: boolean;
  readonly connectTimeoutMs?: number;
  /** `Retry-After` sent with the 503 when Redis is unreachable. */
  readonly retryAfterSeconds?: number;
  /** How long start-up waits for the first connection before going on without it; default 1 s. */
  readonly startupWaitMs?: number;
  /** The state lifecycle's keys: every script then refuses to write into a lost state. */
  readonly stateGuard?: StateKeys;
}

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
    redisScripts: ScriptRunner;
  }
}

/**
 * Fail fast, never replay: with no offline queue a command while disconnected fails at once (503)
 * instead of waiting for a reconnect, and a command cut off by a dropped connection is not resent
 * later, so nothing the caller was told failed gets applied behind its back.
 */
export function createRedisClient(options: RedisPluginOptions): Redis {
  return new Redis(options.url, {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    enableAutoPipelining: options.autoPipelining ?? false,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // Keep reconnecting, at most 2 s apart, so the service recovers by itself when Redis returns.
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
}

/** Logs transitions only: a Redis that is down would otherwise log every reconnect attempt. */
function logConnectionState(redis: Redis, log: FastifyBaseLogger): void {
  let down = false;
  redis.on('ready', () => {
    down = false;
    log.info('redis connected');
  });
  redis.on('error', (error: Error) => {
    if (!down) log.warn({ err: error }, 'redis unavailable, reconnecting');
    down = true;
  });
}

/**
 * Gives the first connection a moment so a healthy start does not answer 503 for its first
 * requests, but never fails start-up: a service whose Redis is down still starts, reports not
 * ready, and serves once Redis is back.
 */
async function waitForFirstConnection(redis: Redis, waitMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  let onReady: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    onReady = resolve;
    timer = setTimeout(resolve, waitMs);
    redis.once('ready', onReady);
  });
  clearTimeout(timer);
  if (onReady) redis.off('ready', onReady);
}

/** QUIT lets pending replies arrive; a Redis that does not answer is cut off after a second. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([redis.quit().catch(() => undefined), timeout]);
  }
  redis.disconnect();
}

async function redisPluginImpl(app: FastifyInstance, options: RedisPluginOptions): Promise<void> {
  const redis = createRedisClient(options);
  logConnectionState(redis, app.log);
  const scripts = typeof options.scripts === 'string' ? loadLuaDir(options.scripts) : (options.scripts ?? {});
  app.decorate('redis', redis);
  app.decorate('redisScripts', new ScriptRunner(redis, scripts, options.stateGuard));
  app.errorMappers.add(redisErrorMapper(options.retryAfterSeconds ?? 2));
  app.readiness.add('redis', async () => (await redis.ping()) === 'PONG');
  app.addHook('onClose', () => closeRedis(redis));
  await waitForFirstConnection(redis, options.startupWaitMs ?? 1000);
}

/**
 * `app.redis` (ioredis) and `app.redisScripts`. The app starts even while Redis is down: requests
 * that need it answer 503 and `/readyz` reports it until it is back. Register it before the Kafka
 * plugins: onClose hooks run last-registered first, so consumers and producers stop before Redis.
 */
export const redisPlugin = fp(redisPluginImpl, {
  name: 'redis',
  fastify: '5.x',
  decorators: { fastify: ['readiness', 'errorMappers'] },
});
