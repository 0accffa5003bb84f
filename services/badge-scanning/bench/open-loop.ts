import { Agent, request } from 'node:http';

export interface OpenLoopRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface OpenLoopOptions {
  /** `http://host:port`; each request names its path. */
  readonly origin: string;
  readonly requestsPerSecond: number;
  readonly durationSeconds: number;
  /** Keep-alive connections at most (the gates); a request finding all busy waits for one, its clock running. */
  readonly connections: number;
  /** How long answers still due are waited for after the last scheduled send (default 10 s). */
  readonly drainSeconds?: number;
  readonly next: () => OpenLoopRequest;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly max: number;
}

export interface OpenLoopResult {
  /** Requests scheduled, and answered (any status) per second of the schedule. */
  readonly scheduled: number;
  readonly requestsPerSecond: number;
  /** ms from each request's scheduled send time to the end of its answer: no coordinated omission. */
  readonly latency: Percentiles;
  /** ms by which the generator itself sent late (its event loop, on the same cores): part of `latency`. */
  readonly sendLag: Percentiles;
  readonly non2xx: number;
  /** Failed connections, and requests still unanswered after the drain (counted at the drain's end in `latency`). */
  readonly errors: number;
  readonly unanswered: number;
}

function percentiles(values: Float64Array): Percentiles {
  const sorted = values.slice().sort();
  const at = (share: number) => (sorted.length === 0 ? NaN : Number(sorted[Math.max(0, Math.ceil(sorted.length * share) - 1)]!.toFixed(2)));
  return { p50: at(0.5), p99: at(0.99), p99_9: at(0.999), max: at(1) };
}

/**
 * Open loop at a fixed rate (node:http, keep-alive): request i is due at start + i / rate and is
 * sent then whatever earlier answers do, as gates post when visitors walk through. Its latency runs
 * from that due time, so a stall of the server (or of this generator) counts for every request it
 * delayed (coordinated omission avoided); `sendLag` tells how much of it this process added.
 */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(options.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.max(1, Math.round(options.requestsPerSecond * options.durationSeconds));
  const intervalMs = 1000 / options.requestsPerSecond;
  const latency = new Float64Array(total).fill(NaN);
  const lag = new Float64Array(total);
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let allAnswered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  const finish = (i: number, due: number, status: number | null) => {
    if (!Number.isNaN(latency[i]!)) return;
    latency[i] = performance.now() - due;
    if (status === null) errors++;
    else if (status < 200 || status >= 300) non2xx++;
    if (++answered === total) allAnswered();
  };
  const send = (i: number, due: number) => {
    const next = options.next();
    lag[i] = performance.now() - due;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: next.path,
        agent,
        headers: { ...next.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(next.body) },
      },
      (res) => {
        res.on('end', () => finish(i, due, res.statusCode ?? 0));
        res.on('error', () => finish(i, due, null));
        res.resume();
      },
    );
    req.on('error', () => finish(i, due, null));
    req.end(next.body);
  };
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        send(sent, start + sent * intervalMs);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + sent * intervalMs - performance.now())));
      else resolve();
    };
    tick();
  });
  const scheduleMs = performance.now() - start;
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, (options.drainSeconds ?? 10) * 1000)))]);
  clearTimeout(drainTimer);
  const unanswered = total - answered;
  // Still due after the drain: counted as answered now, a lower bound of their latency.
  for (let i = 0; i < total; i++) if (Number.isNaN(latency[i]!)) latency[i] = performance.now() - (start + i * intervalMs);
  agent.destroy();
  return {
    scheduled: total,
    requestsPerSecond: answered / (scheduleMs / 1000),
    latency: percentiles(latency),
    sendLag: percentiles(lag),
    non2xx,
    errors: errors + unanswered,
    unanswered,
  };
}
