import { createRedisClient, whenReady, type RedisConnection } from './redis-client.ts';
import type { StateKeys } from './redis-scripts.ts';

/**
 * Every service's `rebuild` command: removes the state marker, so the running instances fence
 * their routes within a probe and one of them rebuilds the state from the log under the lease (a
 * stopped service rebuilds when it starts). The rebuild itself runs only in the service, so there
 * is one way to rebuild and it is the one the faults exercise. `connection`: REDIS_URL, or
 * redisConnectionFrom(config) for a TLS Redis of a private certificate authority.
 */
export async function requestRebuild(connection: string | RedisConnection, keys: StateKeys, name: string): Promise<void> {
  const target = typeof connection === 'string' ? { url: connection } : connection;
  const redis = createRedisClient({ ...target, commandTimeoutMs: 5000, connectTimeoutMs: 5000 });
  redis.on('error', () => undefined);
  try {
    if (!(await whenReady(redis, 10_000))) throw new Error('Redis (REDIS_URL) did not answer within 10 s');
    await redis.del(keys.marker);
    console.log(JSON.stringify({ msg: `${name} state marked lost: the running service rebuilds it from Kafka (watch /readyz)`, marker: keys.marker }));
  } finally {
    redis.disconnect();
  }
}
