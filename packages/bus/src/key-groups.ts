import type { KafkaMessage } from 'kafkajs';

/** Messages of one partition split by key, each list in offset order (per-key order is kept). */
export function groupByKey(messages: readonly KafkaMessage[]): KafkaMessage[][] {
  const groups = new Map<string, KafkaMessage[]>();
  for (const message of messages) {
    const key = message.key?.toString('base64') ?? '';
    const list = groups.get(key);
    if (list) list.push(message);
    else groups.set(key, [message]);
  }
  return [...groups.values()];
}

/** Runs `work` over items with at most `limit` at once. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The last offset up to which every message was processed (messages of other keys may have run
 * ahead; those after a gap are processed again after a restart, which idempotent handlers absorb).
 */
export function contiguousDone(messages: readonly KafkaMessage[], done: ReadonlySet<string>): string | null {
  let last: string | null = null;
  for (const message of messages) {
    if (!done.has(message.offset)) break;
    last = message.offset;
  }
  return last;
}
