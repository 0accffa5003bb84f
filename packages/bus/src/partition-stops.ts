import type { BusMetrics } from './metrics.ts';

/** A partition a consumer stopped at a record it cannot read yet. */
export interface PartitionStop {
  readonly topic: string;
  readonly partition: number;
  /** The record it stopped at: nothing from here on is applied or committed. */
  readonly offset: string;
  /** Bounded label (`newer_schema`); `detail` says what exactly. */
  readonly reason: 'newer_schema';
  readonly detail: string;
}

const id = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The partitions one consumer holds stopped, mirrored in `bus_consumer_paused`. A stop lasts while
 * this consumer owns the partition: it is derived from the record again by whoever consumes the
 * partition next (after a rebalance or a restart), since the committed offset still points at it.
 */
export class PartitionStops {
  readonly #stops = new Map<string, PartitionStop>();

  constructor(
    private readonly groupId: string,
    private readonly metrics: BusMetrics,
  ) {}

  get all(): PartitionStop[] {
    return [...this.#stops.values()];
  }

  has(topic: string, partition: number): boolean {
    return this.#stops.has(id(topic, partition));
  }

  /** Where the partition stopped, as a number (for lag: caught up means up to the stop). */
  offsetOf(topic: string, partition: number): number | undefined {
    const stop = this.#stops.get(id(topic, partition));
    return stop ? Number(stop.offset) : undefined;
  }

  add(stop: PartitionStop): void {
    this.#stops.set(id(stop.topic, stop.partition), stop);
    this.metrics.consumerPaused.set(this.labels(stop), 1);
  }

  /** Forgets the stops of partitions this consumer no longer owns; answers them. */
  keepOnly(owned: (topic: string, partition: number) => boolean): PartitionStop[] {
    const dropped = this.all.filter((s) => !owned(s.topic, s.partition));
    for (const stop of dropped) {
      this.#stops.delete(id(stop.topic, stop.partition));
      this.metrics.consumerPaused.remove(this.labels(stop));
    }
    return dropped;
  }

  clear(): void {
    this.keepOnly(() => false);
  }

  private labels(stop: PartitionStop) {
    return { group: this.groupId, topic: stop.topic, partition: String(stop.partition), reason: stop.reason };
  }
}
