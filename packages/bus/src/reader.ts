import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { TopicContract } from '@expo/schemas';
import { decodeRecord, headerString, type Decoded } from './decode.ts';
import { HEADER_TYPE } from './envelope.ts';

/** End offsets, retried: right after a topic is created its partitions may still be electing leaders. */
async function endOffsets(admin: Admin, topic: string): Promise<Array<{ partition: number; high: string; low: string }>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface ReadResult {
  readonly records: number;
  readonly invalid: number;
  /** Records of a newer schema version this reader cannot read (not handed over; see decode.ts). */
  readonly newer: number;
  /** Per partition, the offset after the last record read: where a consumer of the fold goes on. */
  readonly ends: ReadonlyMap<number, number>;
}

/**
 * Reads a topic from the beginning up to the end offsets it had when the read began, handing each
 * record (event or tombstone) to `onRecord` in partition order: what rebuilds and cache warm-ups
 * use on compacted topics. Uses a throw-away consumer group that is deleted afterwards.
 */
export async function readTopicToEnd<C extends TopicContract>(
  kafka: Kafka,
  contract: C,
  onRecord: (record: Extract<Decoded<C>, { kind: 'event' | 'tombstone' }>, key: string | null) => Promise<void> | void,
  options: {
    timeoutMs?: number;
    /**
     * Only events of these types (by their type header) are decoded and handed over; others are
     * counted as read and skipped unparsed (a rebuild that keeps one type of a busy topic).
     * Tombstones and records without the header are always decoded.
     */
    only?: readonly string[];
    /**
     * Only events of this expo (envelope `eventId`) are handed over; other expos' are counted as
     * read and skipped. Tombstones carry no envelope and are always handed over.
     */
    eventId?: string;
  } = {},
): Promise<ReadResult> {
  const only = options.only ? new Set(options.only) : null;
  const ofAnotherExpo = (decoded: Decoded<C>) => decoded.kind === 'event' && options.eventId !== undefined && decoded.event.eventId !== options.eventId;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `reader.${contract.name}.${randomUUID()}`;
  // Larger fetches than a live consumer's (1 MB a partition): a rebuild reads millions of records.
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 });
  try {
    const ends = await endOffsets(admin, contract.name);
    const readTo = new Map(ends.map((e) => [e.partition, Number(e.high)]));
    const remaining = new Map(ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, BigInt(e.high) - 1n]));
    let records = 0;
    let invalid = 0;
    let newer = 0;
    if (remaining.size === 0) return { records, invalid, newer, ends: readTo };
    await consumer.connect();
    await consumer.subscribe({ topic: contract.name, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${contract.name} did not reach its end within ${options.timeoutMs ?? 120_000} ms`)),
        options.timeoutMs ?? 120_000,
      );
      // A failing onRecord ends the read at once: kafkajs would retry the batch and, with nothing
      // committed, start over from the beginning, so a caller that must stop (a rebuild that lost
      // its lease) would go on writing until the timeout.
      let failed = false;
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const last = remaining.get(batch.partition);
            if (last === undefined || failed) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) > last) break;
              const type = only && message.value !== null ? headerString(message.headers, HEADER_TYPE) : undefined;
              if (type !== undefined && !only!.has(type)) {
                records++;
                if (BigInt(message.offset) === last) remaining.delete(batch.partition);
                continue;
              }
              const decoded = decodeRecord(contract, message);
              if (decoded.kind === 'invalid') invalid++;
              else if (decoded.kind === 'newer') newer++;
              else if (!ofAnotherExpo(decoded)) {
                try {
                  await onRecord(decoded, message.key?.toString() ?? null);
                } catch (error) {
                  failed = true;
                  clearTimeout(timer);
                  reject(error instanceof Error ? error : new Error(String(error)));
                  return;
                }
              }
              records++;
              if (BigInt(message.offset) === last) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return { records, invalid, newer, ends: readTo };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
