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

export { randomUUID };
