import type { RejectionReason, ScanDecision, Zone } from '@expo/schemas';
import { Counter, Gauge, Histogram, type MetricsRegistry } from '@expo/service-kit';

export type ScanMode = 'online' | 'offline';

/** What the scan use cases count; the zone gauges are read from Redis at each scrape instead. */
export interface ScanningMetrics {
  /** Fresh decisions (a replay repeats one and is not counted again). */
  readonly scans: Counter<'decision' | 'reason' | 'gate_kind' | 'mode'>;
  readonly batchSize: Histogram;
  readonly batchLateness: Histogram;
}

/** The zones and their counts as Redis holds them; null while the state is not whole (nothing shown). */
export type ZoneSnapshotReader = () => Promise<{ zones: readonly Zone[]; occupancy: ReadonlyMap<string, number> } | null>;

// A batch holds up to MAX_SCAN_BATCH (1,000) scans.
const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000];
// Offline scans arrive seconds to hours late (the decision memory bounds it).
const LATENESS_BUCKETS = [1, 5, 15, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];

/**
 * Badge-scanning's domain metrics on the app's registry. Labels are bounded: decisions, rejection
 * codes, zone kinds, modes; the zone gauges have one series per zone of the expo.
 */
export function scanningMetrics(registry: MetricsRegistry, readZones: ZoneSnapshotReader): ScanningMetrics {
  const registers = [registry];
  // One Redis read per scrape for both gauges: prom-client collects them concurrently.
  let reading: ReturnType<ZoneSnapshotReader> | null = null;
  const snapshot = () => (reading ??= readZones().finally(() => (reading = null)));
  new Gauge({
    name: 'zone_occupancy',
    help: 'Badges in each zone now (a zone counts those in the zones inside it), as the scans decided it; absent while the state is fenced',
    labelNames: ['zone'] as const,
    registers,
    async collect() {
      const state = await snapshot().catch(() => null);
      this.reset();
      for (const zone of state?.zones ?? []) this.set({ zone: zone.zoneId }, Math.max(0, state?.occupancy.get(zone.zoneId) ?? 0));
    },
  });
  new Gauge({
    name: 'zone_capacity',
    help: 'Capacity of each zone with a limit (zones without one have no series); absent while the state is fenced',
    labelNames: ['zone'] as const,
    registers,
    async collect() {
      const state = await snapshot().catch(() => null);
      this.reset();
      for (const zone of state?.zones ?? []) if (zone.capacity !== null) this.set({ zone: zone.zoneId }, zone.capacity);
    },
  });
  return {
    scans: new Counter({
      name: 'scans_total',
      help: 'Scans decided, by decision, rejection reason ("none" when accepted), kind of the zone the gate leads into, and online or offline',
      labelNames: ['decision', 'reason', 'gate_kind', 'mode'] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: 'scan_batch_size',
      help: 'Scans per offline batch request (POST /v1/scans/batch)',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    }),
    batchLateness: new Histogram({
      name: 'scan_batch_lateness_seconds',
      help: "Per scan of an offline batch: the service's receive time minus the scan's device time (0 when the device is ahead)",
      buckets: LATENESS_BUCKETS,
      registers,
    }),
  };
}

/** Counts one fresh decision. */
export function countScan(
  metrics: ScanningMetrics,
  decision: { decision: ScanDecision; reason: RejectionReason | null; zoneKind: string | null },
  mode: ScanMode,
): void {
  metrics.scans.inc({ decision: decision.decision, reason: decision.reason ?? 'none', gate_kind: decision.zoneKind || 'unknown', mode });
}

/** Observes an offline batch as it arrives: its size, and how late each of its scans is. */
export function observeBatch(metrics: ScanningMetrics, scans: ReadonlyArray<{ scannedAt: string }>, receivedAtMs: number): void {
  metrics.batchSize.observe(scans.length);
  for (const scan of scans) metrics.batchLateness.observe(Math.max(0, receivedAtMs - Date.parse(scan.scannedAt)) / 1000);
}

/** What the per-device rate limit of the scan routes counts (src/plugins/scan-rate-limit.ts). */
export interface RateLimitMetrics {
  /** Requests refused with 429, by route pattern. */
  readonly limited: Counter<'route'>;
  /** Checks that failed (the limiter's Redis unreachable or erroring) and let the request through. */
  readonly failedOpen: Counter<'route'>;
}

export function rateLimitMetrics(registry: MetricsRegistry, routes: readonly string[]): RateLimitMetrics {
  const registers = [registry];
  const metrics = {
    limited: new Counter({
      name: 'rate_limited_total',
      help: 'Requests refused with 429 because their device went over its per-minute limit, by route',
      labelNames: ['route'] as const,
      registers,
    }),
    failedOpen: new Counter({
      name: 'rate_limit_check_failures_total',
      help: 'Rate-limit checks that failed (Redis unreachable or erroring) and let the request through, by route',
      labelNames: ['route'] as const,
      registers,
    }),
  };
  // Every series from the start at 0, so a rate() over them is defined before the first event.
  for (const route of routes) {
    metrics.limited.inc({ route }, 0);
    metrics.failedOpen.inc({ route }, 0);
  }
  return metrics;
}
