/** An event that does not match its schema; nothing was sent. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    readonly topic: string,
    readonly problems: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(`event for ${topic} does not match its schema: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

/**
 * A send that was not acknowledged within its bound (broker down or unreachable). The record may
 * or may not have been written: callers keep what they applied and write the same records (same
 * ids) again until acknowledged (see `isDefiniteRefusal`); consumers dedupe on the envelope id.
 */
export class SendTimeoutError extends Error {
  override readonly name = 'SendTimeoutError';
  constructor(
    readonly topic: string,
    readonly timeoutMs: number,
  ) {
    super(`Kafka did not acknowledge the write to ${topic} within ${timeoutMs} ms`);
  }
}

/** A send the broker refused or that failed for another reason. */
export class SendFailedError extends Error {
  override readonly name = 'SendFailedError';
  constructor(
    readonly topic: string,
    cause: unknown,
    /** Nothing was handed to Kafka (the producer was closed): certainly not written. */
    readonly beforeSending = false,
  ) {
    super(`write to ${topic} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Any failure of a send: what a service maps to 503 with Retry-After. */
export type SendError = SendTimeoutError | SendFailedError;

export function isSendError(error: unknown): error is SendError {
  return error instanceof SendTimeoutError || error instanceof SendFailedError;
}
