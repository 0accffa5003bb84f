import { Counter, Gauge, Registry } from 'prom-client';

export type MetricsRegistry = Registry;

export interface BusMetrics {
  readonly produceErrors: Counter<'topic'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly dlqRecords: Counter<'group' | 'topic'>;
}

const cache = new WeakMap<Registry, BusMetrics>();
const privateRegistry = new Registry();

/**
 * The bus's metrics on the service's registry (service-kit serves it at /metrics). Registered
 * once per registry, since producer and consumers of one service share them.
 */
export function busMetrics(registry: Registry = privateRegistry): BusMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const metrics: BusMetrics = {
    produceErrors: new Counter({
      name: 'kafka_produce_errors_total',
      help: 'Sends that failed or were not acknowledged in time',
      labelNames: ['topic'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Records behind the partition end, per consumer group and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    }),
    dlqRecords: new Counter({
      name: 'kafka_dlq_records_total',
      help: 'Records moved to a dead-letter topic',
      labelNames: ['group', 'topic'],
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
