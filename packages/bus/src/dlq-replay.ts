import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage, Message } from 'kafkajs';
import { DLQ_SUFFIX } from '@expo/schemas';
import { headerString } from './decode.ts';
import { HEADER_SCHEMA_VERSION, HEADER_TYPE } from './envelope.ts';
import { DLQ_HEADERS, originalRecord } from './dlq.ts';
import { asDlqTopic, replayGroupOf } from './dlq-counts.ts';

interface RangeRead {
  readonly topic: string;
  readonly groupId: string;
  /** Per partition, the end offset when the read began: records written later are not read. */
  readonly to: ReadonlyMap<number, number>;
  /** One partition's records in offset order; resolves once they are dealt with. */
  onBatch(partition: number, messages: KafkaMessage[]): Promise<void>;
  /** Commit in the group after each batch dealt with (else the group is thrown away). */
  readonly commit: boolean;
  readonly timeoutMs?: number;
}

/** The partitions that hold records to read, with where the group stands on each. */
async function ranges(kafka: Kafka, topic: string, groupId: string): Promise<{ from: Map<number, number>; to: Map<number, number> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    const from = new Map<number, number>();
    const to = new Map<number, number>();
    for (const end of ends) {
      const start = Math.max(Number(end.low), at.get(end.partition) ?? -1);
      if (start < Number(end.high)) {
        from.set(end.partition, start);
        to.set(end.partition, Number(end.high));
      }
    }
    return { from, to };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads every partition of `read.to` from the group's committed offset (or its start) up to its
 * end offset, with a consumer of that group.
 */
async function readRange(kafka: Kafka, read: RangeRead): Promise<void> {
  if (read.to.size === 0) return;
  const consumer = kafka.consumer({ groupId: read.groupId });
  const remaining = new Set(read.to.keys());
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: read.topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = read.timeoutMs ?? 60_000;
      const timer = setTimeout(() => reject(new Error(`reading ${read.topic} did not reach its end within ${timeoutMs} ms`)), timeoutMs);
      let failed = false;
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = read.to.get(batch.partition);
            if (end === undefined || failed || !remaining.has(batch.partition)) return;
            const messages = batch.messages.filter((m) => Number(m.offset) < end);
            try {
              if (messages.length > 0) {
                await read.onBatch(batch.partition, messages);
                if (read.commit) {
                  const next = String(Number(messages.at(-1)!.offset) + 1);
                  await consumer.commitOffsets([{ topic: read.topic, partition: batch.partition, offset: next }]);
                }
              }
            } catch (error) {
              failed = true;
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            if (messages.length < batch.messages.length || Number(messages.at(-1)?.offset ?? -1) + 1 >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** One dead-lettered record as an operator reads it. */
export interface DeadLetterEntry {
  readonly partition: number;
  readonly offset: string;
  /** Where it was consumed from, by which group, when, and why it could not be processed. */
  readonly source: { readonly topic: string | undefined; readonly partition: number | undefined; readonly offset: string | undefined };
  readonly group: string | undefined;
  readonly failedAt: string | undefined;
  readonly code: string | undefined;
  readonly reason: string | undefined;
  readonly key: string | null;
  readonly type: string | undefined;
  readonly schemaVersion: string | undefined;
  /** The record as it is: parsed JSON, or its text when it is not JSON (nothing added to it). */
  readonly value: unknown;
  /** Already re-produced onto its source topic by `replay`. */
  readonly replayed: boolean;
}

function entryOf(partition: number, message: KafkaMessage, replayedBefore: number): DeadLetterEntry {
  const header = (name: string) => headerString(message.headers, name);
  const text = message.value?.toString('utf8') ?? null;
  let value: unknown = text;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    // Not JSON (often the very reason it was dead-lettered): shown as its text.
  }
  const sourcePartition = header(DLQ_HEADERS.partition);
  return {
    partition,
    offset: message.offset,
    source: {
      topic: header(DLQ_HEADERS.topic),
      partition: sourcePartition === undefined ? undefined : Number(sourcePartition),
      offset: header(DLQ_HEADERS.offset),
    },
    group: header(DLQ_HEADERS.group),
    failedAt: header(DLQ_HEADERS.failedAt),
    code: header(DLQ_HEADERS.code),
    reason: header(DLQ_HEADERS.reason),
    key: message.key?.toString('utf8') ?? null,
    type: header(HEADER_TYPE),
    schemaVersion: header(HEADER_SCHEMA_VERSION),
    value,
    replayed: Number(message.offset) < replayedBefore,
  };
}

/**
 * The records of a dead-letter topic (`topic` names it or its source), oldest first per
 * partition, each marked whether a replay already re-produced it. Moves no group's offsets.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, options: { limit?: number } = {}): Promise<DeadLetterEntry[]> {
  const dlqTopic = asDlqTopic(topic);
  const everything = await ranges(kafka, dlqTopic, `dlq-show.${randomUUID()}`);
  const replayed = (await ranges(kafka, dlqTopic, replayGroupOf(dlqTopic))).from;
  const groupId = `dlq-show.${randomUUID()}`;
  const entries: DeadLetterEntry[] = [];
  try {
    await readRange(kafka, {
      topic: dlqTopic,
      groupId,
      to: everything.to,
      commit: false,
      onBatch: async (partition, messages) => {
        const before = replayed.get(partition) ?? everything.to.get(partition) ?? 0;
        for (const m of messages) entries.push(entryOf(partition, m, before));
      },
    });
  } finally {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  entries.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  return options.limit === undefined ? entries : entries.slice(0, options.limit);
}

export interface ReplayResult {
  readonly dlqTopic: string;
  /** Records re-produced, per source topic. */
  readonly replayed: Readonly<Record<string, number>>;
}

/**
 * Re-produces what was dead-lettered since the last replay onto its source topic: original key,
 * value (so the same envelope id, which every fold dedupes on) and headers, without the `dlq.*`
 * ones. Commits in the replay group after each acknowledged batch, so a second replay (or one
 * after a crash) sends only what it has not sent yet; records dead-lettered meanwhile wait for
 * the next replay.
 */
export async function replayDeadLetters(kafka: Kafka, topic: string): Promise<ReplayResult> {
  const dlqTopic = asDlqTopic(topic);
  const groupId = replayGroupOf(dlqTopic);
  const { to } = await ranges(kafka, dlqTopic, groupId);
  const replayed: Record<string, number> = {};
  if (to.size === 0) return { dlqTopic, replayed };
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await readRange(kafka, {
      topic: dlqTopic,
      groupId,
      to,
      commit: true,
      onBatch: async (partition, messages) => {
        const bySource = new Map<string, Message[]>();
        for (const m of messages) {
          const source = headerString(m.headers, DLQ_HEADERS.topic) ?? dlqTopic.slice(0, -DLQ_SUFFIX.length);
          bySource.set(source, [...(bySource.get(source) ?? []), originalRecord(m)]);
        }
        await producer.sendBatch({ acks: -1, topicMessages: [...bySource].map(([t, records]) => ({ topic: t, messages: records })) });
        for (const [t, records] of bySource) replayed[t] = (replayed[t] ?? 0) + records.length;
      },
    });
  } finally {
    await producer.disconnect();
  }
  return { dlqTopic, replayed };
}
