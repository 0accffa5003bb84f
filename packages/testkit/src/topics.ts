import { createKafka, ensureTopics } from '@expo/infra';
import { dlqDefinition, TOPICS, type TopicDefinition, type TopicId } from '@expo/schemas';
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

/**
 * Test copies of the platform's own topics, contracts and all (name prefixed), keyed like TOPICS:
 * what a service under test is given instead of the real topic names.
 */
export async function createPlatformTopics<const Ids extends readonly TopicId[]>(
  names: TestNames,
  ids: Ids,
  options: { partitions?: number; brokers?: string } = {},
): Promise<{ [K in Ids[number]]: (typeof TOPICS)[K] & { name: string } }> {
  const created = await createTestTopics(
    names,
    ids.map((id) => TOPICS[id]),
    options,
  );
  return Object.fromEntries(
    ids.map((id) => [id, { ...TOPICS[id], name: created.get(TOPICS[id].name)!.name, partitions: created.get(TOPICS[id].name)!.partitions }]),
  ) as { [K in Ids[number]]: (typeof TOPICS)[K] & { name: string } };
}
