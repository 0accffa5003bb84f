import type { PoisonRecord } from '../journal.ts';

/** One identity for a record by where it was written and its bytes as text: how the journal's poison is recognised on a log. */
export function poisonKey(topic: string, key: string | null, value: string | null): string {
  return JSON.stringify([topic, key, value]);
}

/** How many times the workload wrote each poison record. */
export function poisonCounts(poison: readonly PoisonRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of poison) counts.set(poisonKey(p.topic, p.key, p.value), (counts.get(poisonKey(p.topic, p.key, p.value)) ?? 0) + 1);
  return counts;
}
