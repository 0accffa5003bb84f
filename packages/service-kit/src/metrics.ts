import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
/** The registry every metric of a service lives on (`app.metrics`); pass it in `registers: [...]`. */
export type MetricsRegistry = Registry;

declare module 'fastify' {
  interface FastifyInstance {
    metrics: MetricsRegistry;
  }
}

const METRICS_PATH = '/metrics';
// Finer than prom-client's defaults at the low end: a scan is answered in milliseconds.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsSettings {
  readonly serviceName: string;
  /** Process metrics (CPU, memory, event loop); off in tests that build many apps. */
  readonly defaultMetrics?: boolean;
}

// prom-client's gauges named like counters, which `promtool check metrics` refuses; each is the sum
// of its labelled twin (`sum without (type) (nodejs_active_handles)`), so nothing is lost.
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** A registry per app, not prom-client's global one, so two apps in one process never collide. */
export function createMetricsRegistry(settings: MetricsSettings): MetricsRegistry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: settings.serviceName });
  if (settings.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }
  return registry;
}

/**
 * Decorates `app.metrics`, times every request by route pattern (bounded label values, unlike raw
 * URLs with ids in them) and serves the registry at `/metrics`.
 */
export function registerMetrics(app: FastifyInstance, settings: MetricsSettings): void {
  const registry = createMetricsRegistry(settings);
  app.decorate('metrics', registry);
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === METRICS_PATH) return;
    duration.observe({ method: request.method, route: route ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get(METRICS_PATH, { schema: { hide: true } }, async (_request, reply) => {
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}
