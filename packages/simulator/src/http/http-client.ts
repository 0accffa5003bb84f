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
  constructor(readonly baseUrl: string, cause: unknown) {
    super(`${baseUrl} does not answer (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'ServiceUnreachable';
  }
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
}

export interface HttpAnswer<T> {
  readonly status: number;
  readonly body: T;
}

const MAX_WAIT_S = 60;
// A rate limit is expected on the public route and is waited out for as long as it takes; a
// dependency outage (503) is given a few tries.
const ATTEMPTS_RATE_LIMITED = 200;
const ATTEMPTS_UNAVAILABLE = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * JSON over fetch for one service, with a bearer credential. 429 and 503 are waited out as
 * `Retry-After` asks (a device or a script would do the same); other statuses are errors unless
 * the caller accepts them.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null = null,
    private readonly timeoutMs = 30_000,
  ) {}

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
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(new URL(path, this.baseUrl), { method, headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        throw new ServiceUnreachable(this.baseUrl, error);
      }
      const text = await response.text();
      const body: unknown = text.length > 0 && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
      if ((response.status === 429 && attempt < ATTEMPTS_RATE_LIMITED) || (response.status === 503 && attempt < ATTEMPTS_UNAVAILABLE)) {
        const after = Number(response.headers.get('retry-after') ?? '1');
        await sleep(Math.min(MAX_WAIT_S, Number.isFinite(after) && after > 0 ? after : 1) * 1000);
        continue;
      }
      if ((response.status >= 200 && response.status < 300) || options.accept?.includes(response.status)) return { status: response.status, body: body as T };
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
