import { Cluster, Redis } from 'ioredis';
import { redisUrl } from './context.ts';

/**
 * A client on this run's real Redis (a Redis Cluster when REDIS_URL lists several seed nodes, as
 * `EXPO_TEST_INFRA=cluster` gives); the caller quits it (use `afterEach`/`afterAll`).
 */
export function connectRedis(): Redis | Cluster {
  const url = redisUrl();
  const seeds = /^rediss?:\/\/(?:[^@/]*@)?([^/?#]+)/.exec(url)?.[1]?.split(',') ?? [];
  if (seeds.length < 2) return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const nodes = seeds.map((seed) => ({ host: seed.slice(0, seed.lastIndexOf(':')), port: Number(seed.slice(seed.lastIndexOf(':') + 1)) }));
  return new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 2 } });
}

/** The keys matching `pattern` on one Redis, or on every primary of a cluster (KEYS asks one node). */
export async function keysMatching(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  return (await Promise.all(nodes.map((node) => node.keys(pattern)))).flat();
}
