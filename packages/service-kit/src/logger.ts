import { createRequire } from 'node:module';
import type { FastifyRequest } from 'fastify';
import type { DestinationStream, LevelWithSilent, LoggerOptions } from 'pino';

export interface LoggerSettings {
  readonly level?: LevelWithSilent;
  readonly serviceName: string;
  /** Where JSON lines go instead of stdout (tests capture logs through this). */
  readonly stream?: DestinationStream;
  /** More redaction paths, in pino's syntax. */
  readonly redact?: readonly string[];
  /** Readable lines (pino-pretty) instead of JSON, when a person asked for them (LOG_PRETTY=1). */
  readonly pretty?: boolean;
}

const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'token',
  'password',
  'secret',
  'apiKey',
  'deviceKey',
  'exhibitorKey',
  'badgeToken',
  'adminTokens',
  'opsTokens',
  // A parsed config logged whole: its tokens, the Redis URL (it may hold a password), the Kafka
  // password (the _FILE variable is parsed into the file's content).
  'ADMIN_TOKENS',
  'OPS_TOKENS',
  'REDIS_URL',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
];

// Secrets are redacted wherever someone logs them by mistake, two levels deep, and always in
// request headers. Bodies are never logged: they carry names, emails and badge tokens.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
];

/**
 * Requests log method, path and id only: no query string (it may carry tokens or emails), no
 * headers, no client address (personal data under GDPR/PIPL).
 */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return { method: request.method, path: request.url.split('?')[0] };
}

// pino resolves a transport target from the file that called pino() (inside fastify), where pnpm's
// strict layout has no pino-pretty; an absolute path from this package always resolves.
const prettyTarget = (): string => createRequire(import.meta.url).resolve('pino-pretty');

/**
 * Options for fastify's `logger`: pino JSON, pretty only when asked. A terminal alone does not
 * switch it on: JSON on a terminal is what a container runtime or a log shipper reads there too.
 */
export function loggerOptions(settings: LoggerSettings): LoggerOptions & { stream?: DestinationStream } {
  const pretty = settings.stream === undefined && settings.pretty === true;
  return {
    level: settings.level ?? 'info',
    base: { service: settings.serviceName },
    redact: { paths: [...REDACT_PATHS, ...(settings.redact ?? [])], censor: '[redacted]' },
    serializers: { req: serializeRequest as (req: unknown) => unknown },
    ...(settings.stream ? { stream: settings.stream } : {}),
    ...(pretty ? { transport: { target: prettyTarget(), options: { translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
}
