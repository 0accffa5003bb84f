import { afterEach, describe, expect, it } from 'vitest';
import type { Consumer, Producer } from 'kafkajs';
import { createTestTopics, kafkaBrokers, testNames } from '@expo/testkit';
import { createKafka } from '../src/kafka.ts';

const open: Array<Producer | Consumer> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
});

describe('the real broker through kafkajs', () => {
  it('resumes a group from its committed offsets with nothing lost or repeated', async () => {
    const names = testNames('smoke');
    const topics = await createTestTopics(names, [
      { name: 'smoke.v1', key: 'id', producer: 'registration', cleanup: 'delete', partitions: 3, retentionMs: 3_600_000 },
    ]);
    const topic = topics.get('smoke.v1')!.name;
    const kafka = createKafka({ brokers: kafkaBrokers(), clientId: names.suffix });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    open.push(producer);
    await producer.connect();
    const sendRange = (from: number, to: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: to - from }, (_, i) => ({ key: `badge-${(from + i) % 7}`, value: `event-${from + i}` })),
      });
    await sendRange(0, 20);

    const processed: string[] = [];
    const consumeUntil = async (target: number) => {
      const consumer = kafka.consumer({ groupId: names.groupId, retry: { retries: 10 } });
      open.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let reached: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (reached = resolve));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (processed.length >= target) return;
          processed.push(message.value!.toString());
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          if (processed.length === target) reached();
        },
      });
      await done;
      await consumer.disconnect();
    };

    await consumeUntil(10);
    await sendRange(20, 30);
    await consumeUntil(30);

    const expected = Array.from({ length: 30 }, (_, i) => `event-${i}`);
    expect([...processed].sort()).toEqual([...expected].sort());
    expect(new Set(processed).size).toBe(30);
  });
});
