import { Gauge, type MetricsRegistry } from '@expo/service-kit';

/** Analytics' domain metrics. */
export interface AnalyticsMetrics {
  readonly lag: Gauge<'topic'>;
}

export function analyticsMetrics(registry: MetricsRegistry): AnalyticsMetrics {
  return {
    lag: new Gauge({
      name: 'analytics_lag_seconds',
      help: 'When a batch is applied: wall time minus the event time (scannedAt, annulledAt) of its last record, per topic (offline scans arrive hours late by design)',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
  };
}

/** Notes a batch applied on `topic` whose last record happened at `eventMs`. */
export function observeApplied(metrics: AnalyticsMetrics, topic: string, eventMs: number, nowMs = Date.now()): void {
  metrics.lag.set({ topic }, Math.max(0, nowMs - eventMs) / 1000);
}
