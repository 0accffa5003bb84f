import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createRedisClient, whenReady, type RedisClient } from './redis-client.ts';
import { redisErrorMapper } from './redis-errors.ts';
import { loadLuaDir, ScriptRunner, type LuaScripts, type StateKeys } from './redis-scripts.ts';
import { untrustedCertificate } from './tls-errors.ts';

export interface RedisPluginOptions {
  /** One Redis or a cluster's seed nodes: see `RedisClientOptions.url`. */
  readonly url: string;
  /** With a `rediss://` URL, the certificate authority to trust: see `RedisClientOptions.tlsCa`. */
  readonly tlsCa?: string;
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
    redis: RedisClient;
    redisScripts: ScriptRunner;
  }
}

/** Logs transitions only: a Redis that is down would otherwise log every reconnect attempt. */
function logConnectionState(redis: RedisClient, log: FastifyBaseLogger): void {
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

/** QUIT lets pending replies arrive; a Redis that does not answer is cut off after a second. */
async function closeRedis(redis: RedisClient): Promise<void> {
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
  // A getter: fastify's decorate type distributes over the union of a client and a cluster.
  app.decorate('redis', { getter: () => redis });
  app.decorate('redisScripts', new ScriptRunner(redis, scripts, options.stateGuard));
  app.errorMappers.add(redisErrorMapper(options.retryAfterSeconds ?? 2));
  // While not connected, a refused TLS certificate is named: no command could say more than "not writeable".
  let lastError: unknown;
  redis.on('error', (error: Error) => void (lastError = error));
  redis.on('ready', () => void (lastError = undefined));
  app.readiness.add('redis', async () => {
    const untrusted = redis.status === 'ready' ? undefined : untrustedCertificate(lastError);
    if (untrusted !== undefined) {
      return { ok: false, detail: `Redis's TLS certificate is not trusted (${untrusted}): set REDIS_TLS_CA_FILE to the certificate authority that signed it` };
    }
    return (await redis.ping()) === 'PONG';
  });
  app.addHook('onClose', () => closeRedis(redis));
  // A moment for the first connection, so a healthy start does not answer 503 for its first
  // requests; never a failed start-up: with Redis down the service starts, reports not ready, and
  // serves once Redis is back.
  await whenReady(redis, options.startupWaitMs ?? 1000);
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
