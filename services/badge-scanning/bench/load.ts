import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latency: { readonly p50: number; readonly p99: number; readonly p99_9: number; readonly max: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly total: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; p99_9: number; max: number };
  non2xx: number;
  errors: number;
  duration: number;
}
type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types: its options and result are typed here, as far as they are used.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly overallRate?: number;
  /** Stop after this many requests instead of after the duration. */
  readonly amount?: number;
  /** Builds each request of a connection; `connection` numbers the keep-alive connections. */
  readonly next?: (connection: number) => Request;
  readonly body?: string;
}

/**
 * One autocannon run (keep-alive connections), summarised. Closed loop: each connection sends its
 * next request when the previous one is answered, so this finds the maximum rate. (Its
 * `overallRate` is not used for latency: it lets every connection send its whole second's quota
 * at the top of each second, so all 200 gates fire at once and queue as at full load.)
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let connections = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(options.amount ? { amount: options.amount } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(options.body ? { body: options.body } : {}),
        ...(options.next
          ? {
              setupRequest: (request: Request, context: { connection?: number }) => {
                context.connection ??= connections++;
                const next = options.next!(context.connection);
                return { ...request, ...next, headers: { ...request.headers, ...next.headers } };
              },
            }
          : {}),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    latency: { p50: result.latency.p50, p99: result.latency.p99, p99_9: result.latency.p99_9, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

type LoadtestParams = { path?: string; method?: string; headers: Record<string, string | number> };
type LoadtestRequest = { write(body: string): void };
type Loadtest = (options: Record<string, unknown>) => Promise<{
  totalRequests: number;
  totalErrors: number;
  elapsedSeconds: number;
  maxLatencyMs: number;
  histogramMs: Record<string, number>;
  errorCodes: Record<string, number>;
}>;
// loadtest's own types do not describe the promise form: typed here, as far as it is used.
const loadtest = (createRequire(import.meta.url)('loadtest') as { loadTest: Loadtest }).loadTest;

export interface PacedLoadOptions {
  readonly url: string;
  readonly requestsPerSecond: number;
  readonly durationSeconds: number;
  /** Builds each request (path, headers, body). */
  readonly next: () => Request;
}

/** The smallest latency (ms, as loadtest rounds it) at or under which `share` of the requests finished. */
function percentile(histogram: Record<string, number>, total: number, share: number): number {
  let counted = 0;
  for (const ms of Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b)) {
    counted += histogram[ms]!;
    if (counted >= total * share) return ms;
  }
  return NaN;
}

/**
 * An open-loop run at a fixed rate with loadtest: requests start at even intervals whatever the
 * answers do (a slow answer takes another keep-alive connection instead of delaying the next
 * scan), as gates post when visitors walk through. Latency is counted from each request's start.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
  const result = await loadtest({
    url: options.url,
    method: 'POST',
    requestsPerSecond: options.requestsPerSecond,
    maxSeconds: options.durationSeconds,
    agentKeepAlive: true,
    quiet: true,
    requestGenerator: (_options: unknown, params: LoadtestParams, client: (p: LoadtestParams, cb: unknown) => LoadtestRequest, callback: unknown) => {
      const next = options.next();
      params.path = next.path ?? params.path;
      Object.assign(params.headers, next.headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(next.body ?? '') });
      const request = client(params, callback);
      if (next.body) request.write(next.body);
      return request;
    },
  });
  const total = result.totalRequests;
  return {
    requestsPerSecond: total / result.elapsedSeconds,
    latency: {
      p50: percentile(result.histogramMs, total, 0.5),
      p99: percentile(result.histogramMs, total, 0.99),
      p99_9: percentile(result.histogramMs, total, 0.999),
      max: result.maxLatencyMs,
    },
    // loadtest counts answers of 400 and above and failed connections (code -1) as errors.
    non2xx: result.totalErrors - (result.errorCodes['-1'] ?? 0),
    errors: result.errorCodes['-1'] ?? 0,
    total,
  };
}

export { randomUUID };
