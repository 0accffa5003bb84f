// The service's own view of how long things took, from its /metrics read before and after a phase:
// `http_request_duration_seconds` (service-kit) leaves out what the load generator adds (its own
// event loop, on the same 2 cores), so a slow client is told apart from a slow service;
// `kafka_send_wait_seconds` (bus) is the part of an answer spent waiting for Kafka; prom-client's
// event-loop lag and GC pauses are the time every request in flight waited together.

/** The service's /metrics text at one moment (reading it also restarts the event-loop lag gauges). */
export async function scrape(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** The value of each series of `metric` whose labels include every one of `labels` (`name="value"`), by its line. */
function seriesOf(text: string, metric: string, labels: readonly string[]): Array<[line: string, value: number]> {
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) && labels.every((label) => line.includes(label)))
    .map((line) => [line, Number(line.slice(line.lastIndexOf(' ') + 1))]);
}

/** The value of the first series of `metric` whose labels include every one of `labels`. */
export function sample(text: string, metric: string, labels: readonly string[] = []): number {
  return seriesOf(text, metric, labels)[0]?.[1] ?? NaN;
}

/** Cumulative count per bucket bound (seconds) of one histogram's series. */
export type Buckets = Map<number, number>;

/** The buckets of the series of `metric` whose labels include every one of `labels`. */
export function histogramBuckets(text: string, metric: string, labels: readonly string[]): Buckets {
  const buckets: Buckets = new Map();
  for (const [line, count] of seriesOf(text, `${metric}_bucket`, labels)) {
    const bound = /le="([^"]+)"/.exec(line)?.[1];
    if (bound) buckets.set(bound === '+Inf' ? Infinity : Number(bound), count);
  }
  return buckets;
}

export interface ServerLatency {
  readonly count: number;
  /** Share within 25 and 50 ms (the bucket bounds nearest the latency targets: p99 <= 20 ms, p99.9 <= 50 ms). */
  readonly within25msPercent: number;
  readonly within50msPercent: number;
  /** The smallest bucket bound holding 50 % / 99 % / 99.9 % of them (ms). */
  readonly p50AtMostMs: number;
  readonly p99AtMostMs: number;
  readonly p99_9AtMostMs: number;
}

export function latencyBetween(before: Buckets, after: Buckets): ServerLatency {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => after.get(bound)! - (before.get(bound) ?? 0));
  const total = counts.at(-1) ?? 0;
  const bound = (share: number) => {
    const i = counts.findIndex((count) => count >= total * share);
    return bounds[i]! * 1000;
  };
  const within = (seconds: number) => (total ? Number(((100 * (counts[bounds.indexOf(seconds)] ?? 0)) / total).toFixed(2)) : 0);
  return {
    count: total,
    within25msPercent: within(0.025),
    within50msPercent: within(0.05),
    p50AtMostMs: bound(0.5),
    p99AtMostMs: bound(0.99),
    p99_9AtMostMs: bound(0.999),
  };
}

export interface Pauses {
  /** Event-loop lag over the phase, as prom-client sampled it (every 10 ms: an idle loop reads 10). */
  readonly eventLoopLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Young-generation collections (scavenges) in the phase: how many, and their mean pause. */
  readonly scavenges: number;
  readonly scavengeMeanMs: number;
}

export function pausesBetween(before: string, after: string): Pauses {
  const ms = (metric: string) => Number((sample(after, metric) * 1000).toFixed(1));
  const minor = (part: 'sum' | 'count') =>
    sample(after, `nodejs_gc_duration_seconds_${part}`, ['kind="minor"']) - sample(before, `nodejs_gc_duration_seconds_${part}`, ['kind="minor"']);
  return {
    eventLoopLagMs: { p50: ms('nodejs_eventloop_lag_p50_seconds'), p99: ms('nodejs_eventloop_lag_p99_seconds'), max: ms('nodejs_eventloop_lag_max_seconds') },
    scavenges: minor('count'),
    scavengeMeanMs: Number(((1000 * minor('sum')) / minor('count')).toFixed(1)),
  };
}
