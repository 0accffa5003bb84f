/** A service answered with an unexpected status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Nothing listens at the service's address (or it stopped answering): optional steps skip it. */
export class ServiceUnreachable extends Error {
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    super(`${baseUrl} does not answer (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'ServiceUnreachable';
  }
}

/**
 * How a client behaves while its service is away: it refuses connections (restarting) or answers
 * 503 (starting, rebuilding its state). With a wait the client keeps asking until the service is
 * back or `signal` aborts, as `pnpm dev`'s demo does while a service restarts; without one it
 * gives up soon (ServiceUnreachable at once, a 503 after a few tries).
 */
export interface ServiceWait {
  readonly signal?: AbortSignal;
  /** Told once when the service goes away and once when it answers again. */
  readonly onChange?: (change: { readonly baseUrl: string; readonly away: boolean; readonly why: string }) => void;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is with this content type instead of JSON (the CSV import). */
  readonly raw?: { readonly text: string; readonly contentType: string };
  /** A credential other than the client's own (a device key, an exhibitor key, a badge token). */
  readonly token?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses that are answers rather than errors; 2xx always are. */
  readonly accept?: readonly number[];
  /**
   * The service dedupes it (a scan's scanId, a lead's leadId): while waiting for the service, it is
   * sent again when its connection dropped unanswered, not only when it was refused.
   */
  readonly repeatable?: boolean;
}

export interface HttpAnswer<T> {
  readonly status: number;
  readonly body: T;
  /** Requests sent for this answer: more than one when the client retried (a 503, a dropped connection). */
  readonly attempts: number;
}

const MAX_WAIT_S = 60;
// A rate limit is expected on the public route and is waited out for as long as it takes; a
// dependency outage (503) is given a few tries, or waited out with a ServiceWait.
const ATTEMPTS_RATE_LIMITED = 200;
const ATTEMPTS_UNAVAILABLE = 8;
// A service that refuses connections is asked again after 0.25 s, doubling up to 5 s.
const REFUSED_WAIT_MS = (attempt: number) => Math.min(5000, 250 * 2 ** Math.min(attempt - 1, 5));

/** Nothing listened: the request never reached the service, so sending it again is always safe. */
function refused(error: unknown): boolean {
  return error instanceof Error && (error.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED';
}

/** Sleeps `ms`; false at once when `signal` aborts (the caller then gives up). */
async function waited(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return false;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      resolve(ok);
    };
    const abort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * JSON over fetch for one service, with a bearer credential. 429 and 503 are waited out as
 * `Retry-After` asks (a device or a script would do the same); other statuses are errors unless
 * the caller accepts them.
 */
export class HttpClient {
  #away = false;

  constructor(
    readonly baseUrl: string,
    private readonly token: string | null = null,
    private readonly timeoutMs = 30_000,
    private readonly wait: ServiceWait | null = null,
  ) {}

  /** Tells the wait's listener when the service goes away or comes back, once per change. */
  #awayNow(away: boolean, why: string): void {
    if (this.#away === away) return;
    this.#away = away;
    this.wait?.onChange?.({ baseUrl: this.baseUrl, away, why });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer<T>> {
    const credential = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = { ...options.headers };
    if (credential) headers.authorization = `Bearer ${credential}`;
    let payload: string | undefined;
    if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      payload = options.raw.text;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    }
    const repeatable = options.repeatable === true || method === 'GET' || method === 'PUT';
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(new URL(path, this.baseUrl), { method, headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        if (this.wait && (refused(error) || repeatable)) {
          this.#awayNow(true, refused(error) ? 'refuses connections' : 'dropped a request');
          if (await waited(REFUSED_WAIT_MS(attempt), this.wait.signal)) continue;
        }
        throw new ServiceUnreachable(this.baseUrl, error);
      }
      const text = await response.text();
      const body: unknown = text.length > 0 && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
      const rateLimited = response.status === 429 && attempt < ATTEMPTS_RATE_LIMITED;
      const unavailable = response.status === 503 && (this.wait !== null || attempt < ATTEMPTS_UNAVAILABLE);
      if (response.status !== 503) this.#awayNow(false, `answers ${response.status}`);
      else if (this.wait) this.#awayNow(true, 'answers 503');
      if (rateLimited || unavailable) {
        const after = Number(response.headers.get('retry-after') ?? '1');
        if (await waited(Math.min(MAX_WAIT_S, Number.isFinite(after) && after > 0 ? after : 1) * 1000, this.wait?.signal)) continue;
      }
      if ((response.status >= 200 && response.status < 300) || options.accept?.includes(response.status))
        return { status: response.status, body: body as T, attempts: attempt };
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new HttpError(response.status, error?.code, `${method} ${path} answered ${response.status}: ${error?.message ?? String(text).slice(0, 200)}`, body);
    }
  }

  get<T>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }
}

/** Whether an error means "this service is not there": optional steps are skipped on it. */
export function isAbsent(error: unknown): boolean {
  return error instanceof ServiceUnreachable || (error instanceof HttpError && (error.status === 404 || error.status === 501) && error.code !== 'conflict');
}
