import { randomUUID } from 'node:crypto';
import type { decodeRecord } from '@expo/bus';
import type { Kafka } from './check-result.ts';

export type LogMessage = Parameters<typeof decodeRecord>[1];
type Admin = ReturnType<Kafka['admin']>;

export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: LogMessage;
}

export interface LogRead {
  readonly records: number;
  /** Topics asked for that do not exist (read as empty). */
  readonly missing: readonly string[];
}

/** End offsets, retried: right after a topic is created its partitions may still be electing leaders. */
async function lastOffsets(admin: Admin, topic: string): Promise<Array<{ partition: number; last: bigint }>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => ({ partition: o.partition, last: BigInt(o.high) - 1n }));
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Reads topics from their beginning up to the end they had when the read began, raw (no decoding:
 * each checker decides what a record means), in partition order. Like bus's readTopicToEnd, which
 * hands over only records its contract decodes, with a throw-away consumer group deleted afterwards.
 */
export async function readLog(
  kafka: Kafka,
  topics: readonly string[],
  onRecord: (record: LogRecord) => void,
  options: { timeoutMs?: number } = {},
): Promise<LogRead> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `chaos.check.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    const missing = topics.filter((t) => !existing.has(t));
    const remaining = new Map<string, bigint>();
    for (const topic of present) for (const o of await lastOffsets(admin, topic)) remaining.set(`${topic}|${o.partition}`, o.last);
    let records = 0;
    if (remaining.size === 0) return { records, missing };
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(present)], fromBeginning: true });
    const timeoutMs = options.timeoutMs ?? 120_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${present.join(', ')} did not reach the end within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const at = `${batch.topic}|${batch.partition}`;
            const last = remaining.get(at);
            if (last === undefined) return;
            try {
              for (const message of batch.messages) {
                if (BigInt(message.offset) > last) break;
                onRecord({ topic: batch.topic, partition: batch.partition, message });
                records++;
              }
            } catch (error) {
              // Thrown into kafkajs, the batch would be retried from the start and counted twice.
              remaining.clear();
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            // lastOffset() counts records kafkajs filtered out (control records), which the high watermark includes.
            if (BigInt(batch.lastOffset()) >= last) remaining.delete(at);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return { records, missing };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
