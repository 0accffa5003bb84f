import kafkajs, { type Kafka, type KafkaConfig } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { Kafka: KafkaClient, logLevel } = kafkajs;

/**
 * A kafkajs client for infrastructure work only: provisioning topics and probing readiness.
 * Services never use it; they produce and consume through packages/bus.
 */
export function createKafka(options: { brokers: string; clientId: string; connectionTimeoutMs?: number }, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new KafkaClient({
    clientId: options.clientId,
    brokers: options.brokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: logLevel.NOTHING,
    ...overrides,
  });
}
