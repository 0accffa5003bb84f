import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type MetricsRegistry = Registry;

export interface BusMetrics {
  readonly produceErrors: Counter<'topic'>;
  readonly sendWait: Histogram<'topic'>;
  readonly produceRequest: Histogram;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  readonly dlqRecords: Counter<'group' | 'topic' | 'reason'>;
  readonly dlqWaiting: Gauge<'topic'>;
  readonly consumerRetries: Counter<'group' | 'topic' | 'reason'>;
  readonly consumerPaused: Gauge<'group' | 'topic' | 'partition' | 'reason'>;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

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
    sendWait: new Histogram({
      name: 'kafka_send_wait_seconds',
      help: 'From a send handed to the producer to its acknowledgement by Kafka (linger, queue behind the request in flight, the request)',
      labelNames: ['topic'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    produceRequest: new Histogram({
      name: 'kafka_produce_request_seconds',
      help: 'One produce request, from its start to the acknowledgement of all its records',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Records behind the partition end, per consumer group and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    }),
    dlqRecords: new Counter({
      name: 'bus_dlq_records_total',
      help: 'Records this process moved to the dead-letter topic of `topic`, by reason code',
      labelNames: ['group', 'topic', 'reason'],
      registers: [registry],
    }),
    dlqWaiting: new Gauge({
      name: 'bus_dlq_records_waiting',
      help: 'Records in the dead-letter topic of a consumed `topic` not yet replayed (`pnpm dlq replay`), whoever dead-lettered them',
      labelNames: ['topic'],
      registers: [registry],
    }),
    consumerRetries: new Counter({
      name: 'bus_consumer_retries_total',
      help: 'Handler attempts that failed on a dependency (retried with backoff, never dead-lettered), by failure code',
      labelNames: ['group', 'topic', 'reason'],
      registers: [registry],
    }),
    consumerPaused: new Gauge({
      name: 'bus_consumer_paused',
      help: '1 while a partition is stopped at a record this consumer cannot read (a newer schema version): nothing after it is applied',
      labelNames: ['group', 'topic', 'partition', 'reason'],
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
