import { describe, expect, it } from 'vitest';
import kafkajs, { type Admin } from 'kafkajs';
import { allTopicDefinitions } from '@expo/schemas';
import { createKafka, ensureTopics } from '@expo/infra';
import { kafkaBrokers, testNames } from '../src/index.ts';

async function retentionOf(admin: Admin, topic: string): Promise<string | undefined> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
  });
  return described.resources[0]?.configEntries[0]?.configValue;
}

describe('topic provisioning on the real broker', () => {
  it('creates the platform topic table once and corrects drift on later runs', async () => {
    const names = testNames('provisioning');
    const defs = allTopicDefinitions().map((d) => ({ ...d, name: names.topic(d.name), partitions: Math.min(d.partitions, 2) }));
    const kafka = createKafka({ brokers: kafkaBrokers(), clientId: names.suffix });

    const first = await ensureTopics(kafka, defs);
    expect(first.filter((c) => c.action === 'created')).toHaveLength(defs.length);
    expect(await ensureTopics(kafka, defs)).toEqual([]);

    const scans = defs.find((d) => d.name.endsWith('scanning.scans.v1'))!;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: scans.name, configEntries: [{ name: 'retention.ms', value: '1000' }] }],
      });
      // The broker applies a config change asynchronously: wait until it reports the drift.
      await expect.poll(() => retentionOf(admin, scans.name), { timeout: 10_000 }).toBe('1000');
      const grown = defs.map((d) => (d === scans ? { ...d, partitions: 3 } : d));
      expect(await ensureTopics(kafka, grown)).toEqual([
        { topic: scans.name, action: 'partitions-added' },
        { topic: scans.name, action: 'configs-updated' },
      ]);
      await expect.poll(() => retentionOf(admin, scans.name), { timeout: 10_000 }).toBe(String(30 * 24 * 3600 * 1000));
      const meta = await admin.fetchTopicMetadata({ topics: [scans.name] });
      expect(meta.topics[0]!.partitions).toHaveLength(3);
      const attendees = defs.find((d) => d.name.endsWith('registration.attendees.v1'))!;
      const compacted = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: attendees.name, configNames: ['cleanup.policy'] }],
      });
      expect(compacted.resources[0]!.configEntries[0]!.configValue).toBe('compact');
    } finally {
      await admin.disconnect();
    }
  });
});
