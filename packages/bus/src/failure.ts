import kafkajs from 'kafkajs';
import { EventValidationError, SendFailedError, SendTimeoutError } from './errors.ts';

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { KafkaJSError } = kafkajs;

/** What a handler's failure says about trying again. */
export interface FailureClass {
  /** True when the record is fine and a dependency is not (yet): retry, never dead-letter. */
  readonly retryable: boolean;
  /** A short, bounded name for logs and metric labels (`kafka_send_timeout`, `redis_oom`, …). */
  readonly code: string;
}

/** Knows some errors by class or code; answers undefined for the others. */
export type FailureClassifier = (error: unknown) => FailureClass | undefined;

/** What an error of ours declares to say, by itself, whether it is worth trying again. */
export interface RetryableError extends Error {
  readonly retryable: boolean;
  readonly code?: string;
}

// Node's system error codes of a network that did not answer (errno names, set by Node itself).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

// Broker refusals of the records themselves: sending the same records again cannot succeed.
const RECORD_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'UNSUPPORTED_FOR_MESSAGE_FORMAT']);

const UNKNOWN: FailureClass = { retryable: false, code: 'handler_error' };

/** The error and its causes, outermost first (bounded: a cycle of causes ends the walk). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8 && !chain.includes(e); e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** An error that carries a boolean `retryable` (see RetryableError), or a Node network errno. */
export const declaredFailure: FailureClassifier = (error) => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { retryable, code, name } = error as { retryable?: unknown; code?: unknown; name?: unknown };
  if (typeof retryable === 'boolean') return { retryable, code: typeof code === 'string' ? code : typeof name === 'string' ? name : 'declared' };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { retryable: true, code: 'network' };
  return undefined;
};

/**
 * Kafka's side: a send that failed or timed out and any kafkajs error is the broker's state, not
 * the record's, so it is retried; an event the handler built against its schema, or records the
 * broker refuses as such (too large, invalid), fail the same way every time.
 */
export const kafkaFailure: FailureClassifier = (error) => {
  if (error instanceof EventValidationError) return { retryable: false, code: 'event_invalid' };
  if (error instanceof SendTimeoutError) return { retryable: true, code: 'kafka_send_timeout' };
  if (error instanceof SendFailedError) {
    const refused = causeChain(error.cause).some((e) => RECORD_REFUSALS.has(String((e as { type?: unknown }).type)));
    return refused ? { retryable: false, code: 'kafka_record_refused' } : { retryable: true, code: 'kafka_send_failed' };
  }
  if (error instanceof KafkaJSError) return { retryable: true, code: 'kafka' };
  return undefined;
};

/** What the bus itself knows; service-kit adds Redis and its own error codes in front. */
export const BUS_CLASSIFIERS: readonly FailureClassifier[] = [declaredFailure, kafkaFailure];

/**
 * The class of a failure: the first classifier that knows the error, or else one of its causes
 * (outermost first). An error nobody knows is not retryable: a handler bug or a record it cannot
 * apply, tried a few times and then dead-lettered with its reason.
 */
export function classifyFailure(error: unknown, classifiers: readonly FailureClassifier[] = BUS_CLASSIFIERS): FailureClass {
  for (const e of causeChain(error)) {
    for (const classify of classifiers) {
      const found = classify(e);
      if (found) return found;
    }
  }
  return UNKNOWN;
}
