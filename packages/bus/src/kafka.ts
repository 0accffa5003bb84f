import kafkajs, { type Kafka, type KafkaConfig } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { Kafka: KafkaClient, logLevel } = kafkajs;

export interface KafkaOptions {
  /** Comma-separated `host:port` list, as in `KAFKA_BROKERS`. */
  readonly brokers: string;
  readonly clientId: string;
  /** Bound on establishing a connection; the default suits a broker on the same machine. */
  readonly connectionTimeoutMs?: number;
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
    ...overrides,
  });
}
