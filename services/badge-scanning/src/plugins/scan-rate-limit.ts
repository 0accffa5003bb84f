import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { rateLimited } from '@expo/service-kit';
import { deviceOf } from '../domain/device-principal.ts';
import { rateLimitMetrics } from '../metrics.ts';
import { scanningKeys } from '../store/keys.ts';

export interface ScanRateLimitOptions {
  readonly expoId: string;
  readonly scansPerMinute: number;
  /** Requests, not scans: the limiter adds one per request. */
  readonly batchesPerMinute: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The onRequest hook of the scan routes: one counter per device and route, shared by every
     * instance through Redis. It runs after auth, which gives it the device.
     */
    scanRateLimit: (request: FastifyRequest) => Promise<void>;
  }
}

/** The limited routes and the name each one's counter carries in its Redis key. */
const LIMITED_ROUTES: Readonly<Record<string, 'scans' | 'batches'>> = { '/v1/scans': 'scans', '/v1/scans/batch': 'batches' };
const WINDOW_MS = 60_000;
// A broken limiter would otherwise log once per scan.
const FAILURE_LOG_EVERY_MS = 10_000;

function limitedRoute(request: FastifyRequest): { route: string; name: 'scans' | 'batches' } {
  const route = request.routeOptions.url ?? '';
  const name = LIMITED_ROUTES[route];
  if (!name) throw new Error(`${route} has no per-device rate limit`);
  return { route, name };
}

/**
 * Per-device limits on the scan routes, so a stolen device key cannot flood; keyed by device, not
 * address, as many scanners share one NAT. Counted by @fastify/rate-limit's Redis store under
 * `{<expoId>}:scan:ratelimit:<deviceId>:<scans|batches>`, inside the service's own key prefix (and its Redis ACL user's).
 * When the check itself fails the scan goes through (fail open) and is counted: a gate keeps
 * working while the limiter is down.
 */
async function scanRateLimit(app: FastifyInstance, options: ScanRateLimitOptions): Promise<void> {
  const metrics = rateLimitMetrics(app.metrics, Object.keys(LIMITED_ROUTES));
  const perMinute = { scans: options.scansPerMinute, batches: options.batchesPerMinute };
  await app.register(rateLimit, {
    global: false,
    redis: app.redis,
    nameSpace: `${scanningKeys(options.expoId).rateLimit()}:`,
    keyGenerator: (request) => `${deviceOf(request.principal).deviceId}:${limitedRoute(request).name}`,
    max: (request) => perMinute[limitedRoute(request).name],
    timeWindow: WINDOW_MS,
    // Errors reach the hook below, which lets the request through and counts it.
    skipOnError: false,
  });
  const check = app.createRateLimit();
  let lastFailureLog = 0;
  app.decorate('scanRateLimit', async (request: FastifyRequest) => {
    const { route } = limitedRoute(request);
    let result: Awaited<ReturnType<typeof check>>;
    try {
      result = await check(request);
    } catch (error) {
      metrics.failedOpen.inc({ route });
      if (Date.now() - lastFailureLog >= FAILURE_LOG_EVERY_MS) {
        lastFailureLog = Date.now();
        request.log.warn({ err: error }, 'scan rate limit check failed; requests go through unlimited');
      }
      return;
    }
    if (result.isAllowed || !result.isExceeded) return;
    metrics.limited.inc({ route });
    throw rateLimited(Math.max(1, result.ttlInSeconds), `This device made more than ${result.max} requests to ${route} in a minute; retry later`);
  });
}

export const scanRateLimitPlugin = fp(scanRateLimit, { name: 'scan-rate-limit', fastify: '5.x', decorators: { fastify: ['redis', 'metrics'] } });
