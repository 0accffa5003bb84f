import type { Admin, Kafka } from 'kafkajs';
import { DLQ_SUFFIX, dlqTopicName } from '@expo/schemas';
import type { BusMetrics } from './metrics.ts';

/**
 * The consumer group a replay of one dead-letter topic commits in (`pnpm dlq replay`): how far it
 * has replayed, so a second replay sends only what was dead-lettered since.
 */
export function replayGroupOf(dlqTopic: string): string {
  return `dlq-replay.${dlqTopic}`;
}

/** `registration.badges.v1` or `registration.badges.v1.dlq` → the dead-letter topic's name. */
export function asDlqTopic(topic: string): string {
  return topic.endsWith(DLQ_SUFFIX) ? topic : dlqTopicName(topic);
}

export interface DlqCounts {
  readonly topic: string;
  /** Records the topic holds (within its retention). */
  readonly records: number;
  /** Of those, the ones a replay has already re-produced. */
  readonly replayed: number;
  /** Of those, the ones still to act on. */
  readonly waiting: number;
}

/** What one dead-letter topic holds and how far its replays got. */
export async function dlqCounts(admin: Admin, dlqTopic: string): Promise<DlqCounts> {
  const ends = await admin.fetchTopicOffsets(dlqTopic);
  const [committed] = await admin.fetchOffsets({ groupId: replayGroupOf(dlqTopic), topics: [dlqTopic] });
  const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  let records = 0;
  let waiting = 0;
  for (const end of ends) {
    const low = Number(end.low);
    const high = Number(end.high);
    records += high - low;
    waiting += high - Math.min(high, Math.max(low, at.get(end.partition) ?? -1));
  }
  return { topic: dlqTopic, records, replayed: records - waiting, waiting };
}

/** Every dead-letter topic on the cluster (optionally only names starting with `prefix`), with its counts. */
export async function listDeadLetterTopics(kafka: Kafka, options: { prefix?: string } = {}): Promise<DlqCounts[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.endsWith(DLQ_SUFFIX) && t.startsWith(options.prefix ?? '')).sort();
    const counts: DlqCounts[] = [];
    for (const topic of topics) counts.push(await dlqCounts(admin, topic));
    return counts;
  } finally {
    await admin.disconnect();
  }
}

const DEPTH_EVERY_MS = 5000;

/**
 * `bus_dlq_records_waiting{topic}` for the topics a consumer reads: records in their dead-letter
 * twins not yet replayed, whichever service dead-lettered them. Looked at no more than every 5 s.
 */
export class DlqDepth {
  private admin: Admin | null = null;
  private lastAt = 0;
  private inFlight = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
    private readonly metrics: BusMetrics,
  ) {}

  /** Never throws; a look still under way or made less than 5 s ago makes this one a no-op. */
  async refresh(): Promise<void> {
    if (this.inFlight || Date.now() - this.lastAt < DEPTH_EVERY_MS) return;
    this.inFlight = true;
    this.lastAt = Date.now();
    try {
      if (!this.admin) {
        const admin = this.kafka.admin({ retry: { retries: 1 } });
        await admin.connect();
        this.admin = admin;
      }
      // A topic without a dead-letter twin (not provisioned) has nothing waiting.
      const existing = new Set(await this.admin.listTopics());
      for (const topic of this.topics.filter((t) => existing.has(dlqTopicName(t)))) {
        const counts = await dlqCounts(this.admin, dlqTopicName(topic));
        this.metrics.dlqWaiting.set({ topic }, counts.waiting);
      }
    } catch {
      // The broker is down: the lag and readiness checks say so; the gauge keeps its last value.
    } finally {
      this.inFlight = false;
    }
  }

  async close(): Promise<void> {
    for (const deadline = Date.now() + 3000; this.inFlight && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect();
  }
}
