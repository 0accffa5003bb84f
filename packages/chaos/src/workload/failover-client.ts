/** The last answer to a request sent to one or both instances of a service. */
export interface FailoverAnswer<T> {
  /**
   * null: no final answer within the budget (or before the signal): no instance answered, or the
   * last answer asked to retry (503, 409 with `Retry-After`), so the outcome is unknown.
   */
  readonly status: number | null;
  readonly body: T | null;
  readonly attempts: number;
  /** Whether an attempt went to the other instance after one went unanswered or answered 503. */
  readonly failedOver: boolean;
}

export interface FailoverOptions {
  /** How long one attempt may take before the client gives up on it and tries the other instance. */
  readonly attemptTimeoutMs?: number;
  /** How long a request may take in all (attempts and waits for `Retry-After`). */
  readonly budgetMs?: number;
  readonly signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A client of a service that runs as several instances, as a scanner or a script with two
 * addresses behaves: it sends to one, and when that one does not answer (connection refused or
 * reset, or no answer in time) or answers 503, it sends the very same request (same body, same
 * ids, same headers) to the next, waiting as `Retry-After` asks, until an answer other than 503
 * comes or the budget is spent. A 409 with `Retry-After` (the same Idempotency-Key still being
 * processed) is waited out the same way. Other answers, 4xx included, are final.
 */
export class FailoverClient {
  #next = 0;

  constructor(
    readonly baseUrls: readonly string[],
    private readonly options: FailoverOptions = {},
  ) {
    if (baseUrls.length === 0) throw new Error('FailoverClient needs at least one address');
  }

  async request<T>(
    method: string,
    path: string,
    init: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<FailoverAnswer<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let payload: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(init.body);
    }
    const deadline = Date.now() + (this.options.budgetMs ?? 120_000);
    const attemptTimeout = this.options.attemptTimeoutMs ?? 5000;
    let index = this.#next++ % this.baseUrls.length;
    let attempts = 0;
    let failedOver = false;
    let last: { status: number | null; body: T | null } = { status: null, body: null };
    while (Date.now() < deadline && !this.options.signal?.aborted) {
      attempts++;
      let waitMs = 0;
      try {
        const response = await fetch(new URL(path, this.baseUrls[index]), {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(Math.min(attemptTimeout, Math.max(1, deadline - Date.now()))),
        });
        const text = await response.text();
        const body = text.length > 0 && (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as T) : (text as T);
        last = { status: response.status, body };
        // 503: this instance cannot serve now. 409 with Retry-After: the same request (the same
        // Idempotency-Key) is still being processed, as a first attempt that went unanswered may be.
        const retryable = response.status === 503 || (response.status === 409 && response.headers.has('retry-after'));
        if (!retryable) return { ...last, attempts, failedOver };
        const after = Number(response.headers.get('retry-after') ?? '1');
        waitMs = Math.min(5, Number.isFinite(after) && after > 0 ? after : 1) * 1000;
      } catch {
        // Refused, reset or timed out: the outcome is unknown, so the same request goes to the next.
        last = { status: null, body: null };
        waitMs = 100;
      }
      index = (index + 1) % this.baseUrls.length;
      failedOver = true;
      await sleep(Math.min(waitMs, Math.max(0, deadline - Date.now())));
    }
    // Out of time with a "retry" for the last answer: not an answer, the request's fate is unknown
    // (a 409 of a key still in progress is no e-mail conflict; a 503 may follow a write that lands).
    return { status: null, body: last.body, attempts, failedOver };
  }
}
