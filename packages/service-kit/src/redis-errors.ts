import { dependencyUnavailable, type AppError } from './app-error.ts';

// What ioredis rejects commands with when Redis cannot be reached under our client options
// (no offline queue, a command timeout, no resend after a reconnect).
const UNREACHABLE_MESSAGES = [
  "Stream isn't writeable",
  'Command timed out',
  'Connection is closed',
  'Reached the max retries per request limit',
];
// Server replies meaning "Redis is there but cannot serve now" (loading, failover): transient.
// STATELOST is a guarded script's refusal while the service's state is rebuilt (redis-scripts.ts).
const TRANSIENT_REPLIES = ['LOADING', 'MASTERDOWN', 'CLUSTERDOWN', 'TRYAGAIN', 'READONLY', 'BUSY ', 'STATELOST'];

export function isRedisUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { message } = error;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (UNREACHABLE_MESSAGES.some((m) => message.startsWith(m))) return true;
  return error.name === 'ReplyError' && TRANSIENT_REPLIES.some((r) => message.startsWith(r));
}

/** An ErrorMapper for the error handler: Redis outages become 503 with Retry-After. */
export function redisErrorMapper(retryAfterSeconds: number): (error: unknown) => AppError | undefined {
  return (error) => (isRedisUnavailableError(error) ? dependencyUnavailable('Redis', retryAfterSeconds, error) : undefined);
}
