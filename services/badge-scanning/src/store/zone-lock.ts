import { randomUUID } from 'node:crypto';
import { dependencyUnavailable, type RedisClient } from '@expo/service-kit';

const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * A zone's snapshot is read, changed and published whole (its gates and devices included), so two
 * admin writes to one zone at once, on any instance, would lose one of them: each write holds the
 * zone's lock in Redis (SET NX with a TTL, released only by its holder) for its read-modify-write.
 */
export async function withZoneLock<T>(redis: RedisClient, key: string, work: () => Promise<T>, waitMs = 5000): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await redis.set(key, token, 'PX', 10_000, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw dependencyUnavailable('Zone (being changed by another request)', 1);
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
