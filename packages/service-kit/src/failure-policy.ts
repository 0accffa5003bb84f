import { BUS_CLASSIFIERS, classifyFailure, type FailureClass, type FailureClassifier } from '@expo/bus';
import { isAppError } from './app-error.ts';
import type { ErrorCode } from './error-codes.ts';
import { redisFailure } from './redis-errors.ts';

// The contract's codes that say "try again later"; every other AppError is about the request.
const RETRYABLE_APP_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['dependency_unavailable', 'rate_limited']);

/** An AppError a use case threw says by its code whether it is worth trying again. */
export const appErrorFailure: FailureClassifier = (error) =>
  isAppError(error) ? { retryable: RETRYABLE_APP_CODES.has(error.code), code: `app_${error.code}` } : undefined;

/**
 * The platform's one failure policy, in front of the bus's own (declared `retryable`, Kafka):
 * what every service's consumers are given by the Kafka plugin. Errors are known by class and
 * code, never by words in their messages.
 */
export const SERVICE_FAILURE_CLASSIFIERS: readonly FailureClassifier[] = [appErrorFailure, redisFailure];

/** How the platform's consumers treat this error (failure.ts in the bus, plus Redis and AppErrors). */
export function classifyServiceFailure(error: unknown): FailureClass {
  return classifyFailure(error, [...SERVICE_FAILURE_CLASSIFIERS, ...BUS_CLASSIFIERS]);
}

/** True for a failure of a dependency (Redis, Kafka): retry, and never dead-letter the record. */
export function isRetryableFailure(error: unknown): boolean {
  return classifyServiceFailure(error).retryable;
}
