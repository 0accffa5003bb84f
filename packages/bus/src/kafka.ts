import kafkajs, { type Kafka, type KafkaConfig } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { Kafka: KafkaClient, logLevel } = kafkajs;

export interface KafkaOptions {
  /** Comma-separated `host:port` list, as in `KAFKA_BROKERS`. */
  readonly brokers: string;
  readonly clientId: string;
  /** Bound on establishing a connection; the default suits a broker on the same machine. */
  readonly connectionTimeoutMs?: number;
  /** Authenticate with a user name and password (a secured broker; see infra/src/kafka/broker.ts). */
  readonly sasl?: KafkaSasl;
  /** TLS to the broker: `true` trusts the system's CAs, `{ ca }` this PEM certificate authority. */
  readonly ssl?: KafkaSsl;
}

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaSasl {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

export type KafkaSsl = true | { readonly ca: string };

/** kafkajs's connection settings for the options' SASL and TLS (none when unset). */
export function kafkaSecurity(options: Pick<KafkaOptions, 'sasl' | 'ssl'>): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const { sasl, ssl } = options;
  return {
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as KafkaConfig['sasl'] } : {}),
    ...(ssl === undefined ? {} : { ssl: ssl === true ? true : { ca: [ssl.ca] } }),
  };
}

export function parseBrokers(brokers: string): string[] {
  const list = brokers
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (list.length === 0) throw new Error('KAFKA_BROKERS is empty: expected host:port[,host:port]');
  return list;
}

export function createKafka(options: KafkaOptions, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new KafkaClient({
    clientId: options.clientId,
    brokers: parseBrokers(options.brokers),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.NOTHING,
    ...kafkaSecurity(options),
    ...overrides,
  });
}

/**
 * Why the broker turned the client away, if it did: `authentication` (the SASL user name or password
 * was refused), `authorization` (an ACL does not allow the request). Classified by kafkajs's error
 * class and Kafka's error code, through the causes (a retried request wraps the broker's answer).
 */
export function kafkaAccessRefusal(error: unknown): 'authentication' | 'authorization' | undefined {
  for (let e = error as { name?: string; type?: string; cause?: unknown } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    if (e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED') return 'authentication';
    if (typeof e.type === 'string' && e.type.endsWith('_AUTHORIZATION_FAILED')) return 'authorization';
  }
  return undefined;
}
