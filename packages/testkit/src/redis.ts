import { Redis } from 'ioredis';
import { redisUrl } from './context.ts';

/** A client on this run's real Redis; the caller quits it (use `afterEach`/`afterAll`). */
export function connectRedis(): Redis {
  return new Redis(redisUrl(), { lazyConnect: false, maxRetriesPerRequest: 2 });
}
