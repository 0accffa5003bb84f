import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KAFKA_SASL_MECHANISMS, type KafkaOptions } from '@expo/bus';
import { clusterSeeds, type RedisConnection } from './redis-client.ts';

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Every configuration problem at once, so one restart fixes them all. Values are never echoed. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A comma-separated variable as a list of trimmed, non-empty entries; unset means empty. */
export function commaList(item: z.ZodString = z.string()) {
  return z
    .string()
    .default('')
    .transform((raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(item));
}

/** A TCP port variable with the service's own default. */
export function portVar(defaultPort: number) {
  return z.coerce.number().int().min(0).max(65535).default(defaultPort);
}

const HOST_PORT = /^[^\s:,]+:\d{1,5}$/;

function isRedisUrl(raw: string): boolean {
  try {
    return clusterSeeds(raw) !== null || /^rediss?:$/.test(new URL(raw).protocol);
  } catch {
    return false;
  }
}

/** Static tokens must be long enough that guessing one is hopeless. */
const token = z.string().min(16, 'each token must be at least 16 characters');

/** A file's content, trimmed; an unreadable or empty file is a problem of its variable (its path is not echoed). */
function fileContent(what: string) {
  return z.string().transform((path, ctx) => {
    let content: string;
    try {
      content = readFileSync(path, 'utf8').trim();
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot read the ${what} file (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return z.NEVER;
    }
    if (content === '') ctx.addIssue({ code: 'custom', message: `the ${what} file is empty` });
    return content;
  });
}

/** Parsed into the file's content: a PEM certificate authority to trust instead of the system's. */
function caFile() {
  return fileContent('certificate authority').refine((pem) => pem.includes('-----BEGIN CERTIFICATE-----'), 'expected a PEM certificate');
}

/**
 * How a service authenticates to a secured broker (infra/src/kafka/broker.ts, `secured`) and
 * whether it speaks TLS. Unset: PLAINTEXT, as the development broker. Checked together by
 * kafkaSecurityProblems.
 */
export const kafkaSecurityShape = {
  KAFKA_SASL_MECHANISM: z
    .string()
    .transform((raw) => raw.toLowerCase())
    .pipe(z.enum(KAFKA_SASL_MECHANISMS, { error: `expected one of ${KAFKA_SASL_MECHANISMS.join(', ')}` }))
    .optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  /** Parsed into the file's content: the password, kept out of the environment. */
  KAFKA_SASL_PASSWORD_FILE: fileContent('password').optional(),
  KAFKA_SSL: z.stringbool({ error: 'expected true or false' }).default(false),
  /** Parsed into the file's content: a PEM certificate authority trusted for the broker's TLS. */
  KAFKA_SSL_CA_FILE: caFile().optional(),
};

/** What the Kafka variables miss together (each alone is checked by its schema). */
function kafkaSecurityProblems(env: Readonly<Record<string, string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const mechanism = env.KAFKA_SASL_MECHANISM !== undefined;
  const password = env.KAFKA_SASL_PASSWORD !== undefined || env.KAFKA_SASL_PASSWORD_FILE !== undefined;
  if (mechanism && env.KAFKA_SASL_USERNAME === undefined) {
    problems.push({ variable: 'KAFKA_SASL_USERNAME', message: 'is required when KAFKA_SASL_MECHANISM is set' });
  }
  if (mechanism && !password) {
    problems.push({ variable: 'KAFKA_SASL_PASSWORD', message: 'is required (or KAFKA_SASL_PASSWORD_FILE) when KAFKA_SASL_MECHANISM is set' });
  }
  if (env.KAFKA_SASL_PASSWORD !== undefined && env.KAFKA_SASL_PASSWORD_FILE !== undefined) {
    problems.push({ variable: 'KAFKA_SASL_PASSWORD_FILE', message: 'set either KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both' });
  }
  if (!mechanism && (env.KAFKA_SASL_USERNAME !== undefined || password)) {
    problems.push({ variable: 'KAFKA_SASL_MECHANISM', message: 'is required when a Kafka user name or password is set' });
  }
  if (env.KAFKA_SSL_CA_FILE !== undefined && !/^(true|1|yes|on|y|enabled)$/i.test(env.KAFKA_SSL ?? '')) {
    problems.push({ variable: 'KAFKA_SSL', message: 'must be true when KAFKA_SSL_CA_FILE is set' });
  }
  return problems;
}

/** A certificate authority for Redis without TLS to use it on is a mistake worth saying. */
function redisSecurityProblems(env: Readonly<Record<string, string>>): ConfigProblem[] {
  if (env.REDIS_TLS_CA_FILE === undefined || env.REDIS_URL === undefined || /^rediss:\/\//i.test(env.REDIS_URL)) return [];
  return [{ variable: 'REDIS_TLS_CA_FILE', message: 'is set, but REDIS_URL is not rediss:// (TLS)' }];
}

/** What every service reads; spread it into the service's own schema and override defaults. */
export const baseConfigShape = {
  SERVICE_NAME: z.string().min(1),
  PORT: portVar(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `1`: logs as readable lines (pino-pretty) for a person at a terminal; otherwise JSON lines, also on a terminal. */
  LOG_PRETTY: z.stringbool().default(false),
  KAFKA_BROKERS: z.string().refine((raw) => raw.split(',').every((b) => HOST_PORT.test(b.trim())), 'expected host:port[,host:port...]'),
  ...kafkaSecurityShape,
  // One Redis, or a cluster's seed nodes (redis://h1:p1,h2:p2,…): see RedisClientOptions.url.
  REDIS_URL: z.string().refine(isRedisUrl, 'expected redis://host:port, rediss://…, or redis://host:port,host:port,… for a Redis Cluster'),
  /** Parsed into the file's content: with a `rediss://` REDIS_URL, a PEM certificate authority trusted for Redis's TLS. */
  REDIS_TLS_CA_FILE: caFile().optional(),
  ADMIN_TOKENS: commaList(token),
  OPS_TOKENS: commaList(token),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
  /** Prepended to every topic name (several platforms on one broker); empty for the platform's own. */
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  /** How often each instance probes its Redis state (marker, Redis process, evictions). */
  STATE_CHECK_MS: z.coerce.number().int().positive().default(1000),
  /** How long a rebuild lease lasts unrenewed: a crashed rebuilder is replaced after this. */
  STATE_LEASE_MS: z.coerce.number().int().positive().default(10_000),
  /** Wait after taking the lease before clearing, so every instance has fenced itself (> 1 probe). */
  STATE_SETTLE_MS: z.coerce.number().int().nonnegative().default(2000),
  /**
   * Tracing's switch (docs/operations.md): set, spans go over OTLP http/protobuf to this collector's
   * `v1/traces`; unset, no SDK starts. The SDK reads the other standard OTEL_* variables it knows
   * (exporter headers, sampler) itself.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
};

function problemsOf(error: z.ZodError, env: Record<string, string>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const [variable, ...inner] = issue.path.map(String);
    if (variable === undefined) return { variable: '(environment)', message: issue.message };
    if (env[variable] === undefined) return { variable, message: 'is required' };
    // A list entry is named by position, never by value: the value may be a secret.
    const where = inner.length > 0 ? `entry ${Number(inner[0]) + 1}: ` : '';
    return { variable, message: `${where}${issue.message}` };
  });
}

/**
 * Parses the environment once. Empty variables count as unset (a blank `PORT=` in a compose file
 * means "use the default", not port 0). Throws a ConfigError listing every problem.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') present[name] = value;
  const result = schema.safeParse(present);
  const problems = [
    ...(result.success ? [] : problemsOf(result.error, present)),
    ...('KAFKA_SASL_MECHANISM' in schema.shape ? kafkaSecurityProblems(present) : []),
    ...('REDIS_TLS_CA_FILE' in schema.shape ? redisSecurityProblems(present) : []),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** The Kafka connection of a parsed config: brokers, and SASL and TLS when configured. */
export function kafkaConnectionFrom(
  config: Pick<BaseConfig, 'KAFKA_BROKERS' | keyof typeof kafkaSecurityShape>,
): Pick<KafkaOptions, 'brokers' | 'sasl' | 'ssl'> {
  const password = config.KAFKA_SASL_PASSWORD ?? config.KAFKA_SASL_PASSWORD_FILE;
  const sasl =
    config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME !== undefined && password !== undefined
      ? { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password }
      : undefined;
  const ssl = !config.KAFKA_SSL ? undefined : config.KAFKA_SSL_CA_FILE ? { ca: config.KAFKA_SSL_CA_FILE } : (true as const);
  return { brokers: config.KAFKA_BROKERS, ...(sasl ? { sasl } : {}), ...(ssl ? { ssl } : {}) };
}

/** The Redis connection of a parsed config: the URL, and the certificate authority of a TLS one. */
export function redisConnectionFrom(config: Pick<BaseConfig, 'REDIS_URL' | 'REDIS_TLS_CA_FILE'>): RedisConnection {
  return { url: config.REDIS_URL, ...(config.REDIS_TLS_CA_FILE ? { tlsCa: config.REDIS_TLS_CA_FILE } : {}) };
}

/** The parsed base variables, as every service's config contains them. */
export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>>;
