import { createKafka, ensureTopics } from '@expo/infra';
import { dlqDefinition, type TopicDefinition } from '@expo/schemas';
import { kafkaBrokers } from './context.ts';
import type { TestNames } from './names.ts';

/**
 * Creates this test's copies of platform topics (same key, partitions and cleanup policy as the
 * real ones, names prefixed) and their dead-letter twins. Returns the definitions by original name.
 */
export async function createTestTopics(
  names: TestNames,
  defs: readonly TopicDefinition[],
  options: { partitions?: number; brokers?: string } = {},
): Promise<Map<string, TopicDefinition>> {
  const copies = defs.map((d) => ({ ...d, name: names.topic(d.name), partitions: options.partitions ?? d.partitions }));
  const kafka = createKafka({ brokers: options.brokers ?? kafkaBrokers(), clientId: 'testkit' });
  await ensureTopics(kafka, [...copies, ...copies.map(dlqDefinition)]);
  return new Map(defs.map((d, i) => [d.name, copies[i] as TopicDefinition]));
}
