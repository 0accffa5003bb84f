import type { FailureClass, FailureClassifier } from '@expo/bus';
import { ReplyError } from 'ioredis';
import { dependencyUnavailable, type AppError } from './app-error.ts';
import { STATE_LOST_REPLY } from './redis-scripts.ts';

// Redis error replies whose first word (the error code, by the protocol's convention) says "Redis
// is there but cannot serve this now": loading, failover, a replica that took the writes'
// address, a script still running, memory full under noeviction, a disk that refuses snapshots,
// a Redis Cluster's slot answered from elsewhere while its map changes (MOVED, ASK: ioredis follows
// them, but hands one back once its redirections run out mid-failover), and STATELOST, a guarded
// script's refusal while the service's state is rebuilt.
const TRANSIENT_REPLY_CODES = new Set([
  'LOADING',
  'MOVED',
  'ASK',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'READONLY',
  'BUSY',
  'OOM',
  'NOREPLICAS',
  'MISCONF',
  STATE_LOST_REPLY,
]);

// ioredis rejects a command it could not deliver or that got no answer with a plain Error that
// has no code or class of its own; these texts are ioredis's constants (under our client options:
// no offline queue, a command timeout, no resend after a reconnect), named here once and held
// by redis-errors.test.ts against errors a real client raises, so an ioredis upgrade that changes
// them fails a test instead of dead-lettering records.
const CLIENT_ERRORS: ReadonlyMap<string, string> = new Map([
  ["Stream isn't writeable and enableOfflineQueue options is false", 'redis_unreachable'],
  ['Connection is closed.', 'redis_unreachable'],
  ['Command timed out', 'redis_timeout'],
]);
// ioredis's error classes for commands cut off by a dropped connection (redis-errors' AbortError).
const CLIENT_ERROR_CLASSES: ReadonlyMap<string, string> = new Map([
  ['MaxRetriesPerRequestError', 'redis_unreachable'],
  ['AbortError', 'redis_aborted'],
]);

/** The code of a Redis error reply: its first word (`READONLY`, `OOM`, `ERR`, …). */
export function redisReplyCode(error: Error): string {
  const space = error.message.indexOf(' ');
  return space < 0 ? error.message : error.message.slice(0, space);
}

/** Knows ioredis's errors: a reply by its code, a client-side failure by its class or constant. */
export const redisFailure: FailureClassifier = (error): FailureClass | undefined => {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof ReplyError) {
    const code = redisReplyCode(error);
    return TRANSIENT_REPLY_CODES.has(code) ? { retryable: true, code: `redis_${code.toLowerCase()}` } : { retryable: false, code: 'redis_reply' };
  }
  const byClass = CLIENT_ERROR_CLASSES.get(error.name);
  if (byClass) return { retryable: true, code: byClass };
  const byText = CLIENT_ERRORS.get(error.message);
  return byText ? { retryable: true, code: byText } : undefined;
};

/** True when Redis could not serve now (unreachable, timed out, loading, read-only, full, state lost). */
export function isRedisUnavailableError(error: unknown): boolean {
  return redisFailure(error)?.retryable === true;
}

/** An ErrorMapper for the error handler: Redis outages become 503 with Retry-After. */
export function redisErrorMapper(retryAfterSeconds: number): (error: unknown) => AppError | undefined {
  return (error) => (isRedisUnavailableError(error) ? dependencyUnavailable('Redis', retryAfterSeconds, error) : undefined);
}
