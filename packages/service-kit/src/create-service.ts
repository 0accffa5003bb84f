import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream, LevelWithSilent } from 'pino';
import { authPlugin, type AuthOptions } from './auth.ts';
import type { BaseConfig } from './config.ts';
import { deferredChildLogger } from './deferred-logger.ts';
import { installErrorHandling } from './error-handler.ts';
import { loggerOptions } from './logger.ts';
import { registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { registerHealthRoutes } from './readiness.ts';
import { echoRequestId, generateRequestId } from './request-id.ts';
import { responseSerializerCompiler } from './response-serializer.ts';
import { registerTracing, startTracing } from './tracing.ts';

/** A service's fastify instance: routes get their types from zod schemas. */
export type ServiceApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface ServiceOptions {
  /** Service name: log field, metrics label, OpenAPI title. */
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  readonly logLevel?: LevelWithSilent;
  /** Readable log lines (pino-pretty) instead of JSON on stdout; default false (LOG_PRETTY). */
  readonly logPretty?: boolean;
  /** Log destination instead of stdout (tests). */
  readonly logStream?: DestinationStream;
  /** Extra pino redaction paths. */
  readonly redact?: readonly string[];
  /** Largest accepted request body in bytes; default 1 MiB. */
  readonly bodyLimit?: number;
  readonly auth?: AuthOptions;
  /** Bound on each readiness check; default 1 s. */
  readonly readinessTimeoutMs?: number;
  /** Process metrics on `/metrics`; default true. */
  readonly defaultMetrics?: boolean;
  /** An OTLP collector: starts tracing for the process (tracing.ts). The app's requests get spans whenever tracing runs. */
  readonly otlpEndpoint?: string;
}

const MiB = 1024 * 1024;

/** The ServiceOptions that come straight from the base config variables. */
export function serviceOptionsFrom(config: BaseConfig, own: OwnServiceOptions = {}): ServiceOptions {
  return {
    name: config.SERVICE_NAME,
    ...(own.description === undefined ? {} : { description: own.description }),
    logLevel: config.LOG_LEVEL,
    logPretty: config.LOG_PRETTY,
    auth: { adminTokens: config.ADMIN_TOKENS, opsTokens: config.OPS_TOKENS, ...(own.resolveKey ? { resolveKey: own.resolveKey } : {}) },
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}

/** What a service adds to the options its config gives: what it is, and how it knows its own keys (devices, exhibitors, badges). */
export interface OwnServiceOptions {
  readonly description?: string;
  readonly resolveKey?: AuthOptions['resolveKey'];
}

/** The state lifecycle's timing from the base config variables (the service adds name, keys, rebuild). */
export function stateTimingFrom(config: BaseConfig): { checkIntervalMs: number; leaseMs: number; settleMs: number } {
  return { checkIntervalMs: config.STATE_CHECK_MS, leaseMs: config.STATE_LEASE_MS, settleMs: config.STATE_SETTLE_MS };
}

/**
 * A fastify instance with everything services share: logging, request ids, the error contract,
 * OpenAPI at /openapi.json and /docs, /healthz, /readyz, /metrics and bearer auth. Not listening
 * and not yet ready: the service registers its plugins and routes, then `runService` or `inject`.
 */
export async function createService(options: ServiceOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: loggerOptions({
      serviceName: options.name,
      level: options.logLevel ?? 'info',
      pretty: options.logPretty ?? false,
      ...(options.logStream ? { stream: options.logStream } : {}),
      ...(options.redact ? { redact: options.redact } : {}),
    }),
    childLoggerFactory: deferredChildLogger,
    genReqId: generateRequestId,
    requestIdHeader: false,
    bodyLimit: options.bodyLimit ?? MiB,
  }).withTypeProvider<ZodTypeProvider>();
  if (options.otlpEndpoint) startTracing({ serviceName: options.name, endpoint: options.otlpEndpoint });
  await registerTracing(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  installErrorHandling(app);
  echoRequestId(app);
  await registerOpenApi(app, {
    title: options.name,
    version: options.version ?? '0.0.0',
    ...(options.description ? { description: options.description } : {}),
  });
  registerMetrics(app, { serviceName: options.name, defaultMetrics: options.defaultMetrics ?? true });
  registerHealthRoutes(app, options.readinessTimeoutMs ?? 1000);
  await app.register(authPlugin, options.auth ?? {});
  return app;
}
