// The service's own view of how long things took, from its Prometheus histograms read before and
// after a phase: `http_request_duration_seconds` (service-kit) leaves out what the load generator
// adds (its own event loop, on the same 2 cores), so a slow client is told apart from a slow
// service; `kafka_send_wait_seconds` (bus) is the part of an answer spent waiting for Kafka.

/** Cumulative count per bucket bound (seconds) of one histogram's series. */
export type Buckets = Map<number, number>;

/** The buckets of the series of `metric` whose labels include every one of `labels` (`name="value"`). */
export async function histogramBuckets(port: number, metric: string, labels: readonly string[]): Promise<Buckets> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const buckets: Buckets = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}_bucket{`) || !labels.every((label) => line.includes(label))) continue;
    const bound = /le="([^"]+)"/.exec(line)?.[1];
    if (bound) buckets.set(bound === '+Inf' ? Infinity : Number(bound), Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

export interface ServerLatency {
  readonly count: number;
  /** Share within 25 ms (the half-load target's bound). */
  readonly within25msPercent: number;
  /** The smallest bucket bound holding 50 % / 99 % of them (ms). */
  readonly p50AtMostMs: number;
  readonly p99AtMostMs: number;
}

export function latencyBetween(before: Buckets, after: Buckets): ServerLatency {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => after.get(bound)! - (before.get(bound) ?? 0));
  const total = counts.at(-1) ?? 0;
  const bound = (share: number) => {
    const i = counts.findIndex((count) => count >= total * share);
    return bounds[i]! * 1000;
  };
  const within = counts[bounds.indexOf(0.025)] ?? 0;
  return { count: total, within25msPercent: total ? Number(((100 * within) / total).toFixed(2)) : 0, p50AtMostMs: bound(0.5), p99AtMostMs: bound(0.99) };
}
