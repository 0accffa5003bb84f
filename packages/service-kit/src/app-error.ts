import { ERROR_STATUS, type ErrorCode } from './error-codes.ts';

/** One entry of `error.details`: a plain JSON object, e.g. `{ path, message }` for validation. */
export type ErrorDetail = Readonly<Record<string, unknown>>;

export interface AppErrorOptions {
  readonly details?: readonly ErrorDetail[];
  /** Sent as `Retry-After` (seconds); meaningful with `rate_limited` and `dependency_unavailable`. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/**
 * An error meant for the caller: its code, message and details are sent as the contract's error
 * body. The status follows from the code so the two never disagree.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly ErrorDetail[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function invalidRequest(message: string, details: readonly ErrorDetail[] = []): AppError {
  return new AppError('invalid_request', message, { details });
}

export function unauthorized(message = 'A valid bearer credential is required'): AppError {
  return new AppError('unauthorized', message);
}

export function forbidden(message = 'This credential may not use this route'): AppError {
  return new AppError('forbidden', message);
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

export function conflict(message: string, details: readonly ErrorDetail[] = []): AppError {
  return new AppError('conflict', message, { details });
}

export function idempotencyConflict(message = 'This Idempotency-Key was already used with a different request'): AppError {
  return new AppError('idempotency_conflict', message);
}

export function rateLimited(retryAfterSeconds: number, message = 'Too many requests'): AppError {
  return new AppError('rate_limited', message, { retryAfterSeconds });
}

/** 503 for a dependency (Redis, Kafka) that is down; the caller may retry after the given delay. */
export function dependencyUnavailable(what: string, retryAfterSeconds = 1, cause?: unknown): AppError {
  return new AppError('dependency_unavailable', `${what} is unavailable, retry later`, { retryAfterSeconds, cause });
}
