import type { Admin, Kafka } from 'kafkajs';
import type { BusMetrics } from './metrics.ts';

/**
 * Consumer lag from the broker's view: partition end offsets minus the group's committed offsets.
 * Also answers "has this consumer caught up once?" for readiness (/readyz in docs/http.md).
 */
export class LagTracker {
  private admin: Admin | null = null;
  private caughtUpOnce = false;
  private lastLag = new Map<string, number>();

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly metrics: BusMetrics,
    /** Where a partition is stopped (see PartitionStops): caught up there means up to that record. */
    private readonly stoppedAt: (topic: string, partition: number) => number | undefined = () => undefined,
  ) {}

  get caughtUp(): boolean {
    return this.caughtUpOnce;
  }

  /** Total records behind across partitions, as last measured. */
  get total(): number {
    let sum = 0;
    for (const lag of this.lastLag.values()) sum += lag;
    return sum;
  }

  async refresh(): Promise<number> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] });
    let total = 0;
    let behind = 0;
    for (const topic of this.topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = Number(mine.find((p) => p.partition === end.partition)?.offset ?? '-1');
        const high = Number(end.high);
        const from = at < 0 ? Number(end.low) : at;
        const lag = Math.max(0, high - from);
        total += lag;
        behind += Math.max(0, Math.min(high, this.stoppedAt(topic, end.partition) ?? high) - from);
        this.lastLag.set(`${topic}:${end.partition}`, lag);
        this.metrics.consumerLag.set({ group: this.groupId, topic, partition: String(end.partition) }, lag);
      }
    }
    if (behind === 0) this.caughtUpOnce = true;
    return total;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect();
  }
}
