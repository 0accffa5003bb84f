import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance } from 'fastify';

// Tracing (docs/operations.md): off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (config.ts), and then
// one NodeTracerProvider for the process, exporting OTLP over http/protobuf. HTTP requests get their
// spans from @fastify/otel, registered on each app (fastify hooks: no ESM loader hooks needed);
// Kafka records get theirs from the bus, which uses the OpenTelemetry API alone.

export type TracingOptions = {
  /** `service.name` of every span of the process. */
  readonly serviceName: string;
} & (
  | {
      /**
       * The collector's OTLP base URL (OTEL_EXPORTER_OTLP_ENDPOINT): spans go, in batches, over
       * http/protobuf to its `v1/traces`. The exporter reads the other standard OTEL_EXPORTER_OTLP_*
       * variables (headers, timeout, compression) itself.
       */
      readonly endpoint: string;
    }
  | {
      /** Where spans go instead, each as it ends (tests: an in-memory exporter). */
      readonly exporter: SpanExporter;
    }
);

interface Tracing {
  readonly provider: NodeTracerProvider;
  readonly http: FastifyOtelInstrumentation;
}

let active: Tracing | null = null;

/** Probes and scrapes, asked every few seconds by load balancers and Prometheus: no spans. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function untraced(url: string): boolean {
  const query = url.indexOf('?');
  return UNTRACED_PATHS.has(query < 0 ? url : url.slice(0, query));
}

/** Where an OTLP/HTTP exporter sends traces, from the base endpoint (OpenTelemetry's exporter specification). */
export function tracesUrl(endpoint: string): string {
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

/**
 * Starts tracing for the process: registers the tracer provider, the AsyncLocalStorage context
 * manager and the W3C trace-context propagator globally. Once per process; later calls return.
 */
export function startTracing(options: TracingOptions): void {
  if (active) return;
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': options.serviceName })),
    spanProcessors: [
      'exporter' in options ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.endpoint) })),
    ],
  });
  provider.register();
  const http = new FastifyOtelInstrumentation({
    // The request span and the handler's (the handler's keeps the request's context past body
    // parsing); no span per lifecycle hook, which would multiply the spans of every request.
    instrumentHooks: false,
    ignorePaths: (route) => untraced(route.url),
    // Named as OpenTelemetry's HTTP conventions name a server span: method and route.
    requestHook: (span, request) => span.updateName(`${request.method} ${request.routeOptions.url ?? ''}`.trimEnd()),
  });
  http.setTracerProvider(provider);
  active = { provider, http };
}

/** Whether `startTracing` has run in this process. */
export function tracingStarted(): boolean {
  return active !== null;
}

/** Ends tracing for the process: pending spans exported, the global provider, context manager and propagator removed. */
export async function stopTracing(): Promise<void> {
  const tracing = active;
  if (!tracing) return;
  active = null;
  tracing.http.disable();
  await tracing.provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/** Spans for the app's requests when tracing runs (register before routes); pending spans exported on close. */
export async function registerTracing(app: FastifyInstance, flushTimeoutMs = 2000): Promise<void> {
  const tracing = active;
  if (!tracing) return;
  await app.register(tracing.http.plugin());
  app.addHook('onClose', async () => {
    let timer: NodeJS.Timeout | undefined;
    // Bounded: a collector that is down must not eat the shutdown grace.
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, flushTimeoutMs)));
    await Promise.race([tracing.provider.forceFlush().catch(() => undefined), timeout]);
    clearTimeout(timer);
  });
}
