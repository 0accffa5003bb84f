import { EventValidationError, SendFailedError } from './errors.ts';

/**
 * Broker answers that mean the records were not appended, and would not be on a retry either
 * (kafkajs does not retry them). A timeout, a lost connection or retries run out say nothing of
 * the kind: the request may have been appended before the answer was lost.
 */
const NOT_APPENDED = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'INVALID_RECORD',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'POLICY_VIOLATION',
]);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * True when a failed send certainly wrote nothing: the event failed its schema, the producer was
 * closed before sending, or the broker refused the request outright. Anything else (above all a
 * SendTimeoutError) is unknown: the records may be in the log, so what they record must be kept
 * and written again with the same ids, never taken back.
 */
export function isDefiniteRefusal(error: unknown): boolean {
  if (error instanceof EventValidationError) return true;
  if (!(error instanceof SendFailedError)) return false;
  if (error.beforeSending) return true;
  const last = causes(error).at(-1) as { name?: string; type?: string; retriable?: boolean } | undefined;
  return last?.name === 'KafkaJSProtocolError' && last.retriable === false && NOT_APPENDED.has(last.type ?? '');
}
