import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis, kafkaBrokers, testNames } from '@expo/testkit';
import { Registry } from 'prom-client';
import { BusConsumer, on, type TopicHandler } from '../src/consumer.ts';
import { DLQ_HEADERS } from '../src/dlq.ts';
import { headerString } from '../src/decode.ts';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { thingsTopic } from './fixtures/contract.ts';

const redis = connectRedis();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const kafka = () => createKafka({ brokers: kafkaBrokers(), clientId: 'consumer-test' });

function producer() {
  const p = new BusProducer(kafka(), { source: 'bus-test', sendTimeoutMs: 30_000 });
  cleanups.push(() => p.disconnect());
  return p;
}

async function startConsumer(groupId: string, handlers: TopicHandler[], extra: Partial<ConstructorParameters<typeof BusConsumer>[1]> = {}) {
  const consumer = new BusConsumer(kafka(), { groupId, handlers, producer: producer(), retryDelayMs: 20, ...extra });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await consumer.stop();
  };
  cleanups.push(stop);
  await consumer.start();
  return { consumer, stop };
}

/** Reads the records of a dead-letter topic with a plain kafkajs consumer. */
async function readDlq(topic: string, count: number) {
  const consumer = kafka().consumer({ groupId: `dlq-reader-${topic}` });
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
  const records: Array<{ key?: string; value?: string; headers: Record<string, string | undefined> }> = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: ({ message }) => {
        const names: string[] = [...Object.values(DLQ_HEADERS), 'type'];
        records.push({
          key: message.key?.toString(),
          value: message.value?.toString(),
          headers: Object.fromEntries(names.map((n) => [n, headerString(message.headers, n)])),
        });
        if (records.length === count) resolve();
        return Promise.resolve();
      },
    });
  });
  return records;
}

describe('BusConsumer', () => {
  it('moves a poison record to the dead-letter topic with its metadata and goes on with the next', async () => {
    const names = testNames('consumer-poison');
    const topic = await thingsTopic(names, { partitions: 1 });
    const rawProducer = kafka().producer();
    cleanups.push(() => rawProducer.disconnect());
    await rawProducer.connect();
    await rawProducer.send({ topic: topic.name, messages: [{ key: 'p-1', value: '{"not":"an envelope"', headers: { origin: 'legacy' } }] });
    await producer().send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 'p-2', n: 7 } }]);

    const handled: number[] = [];
    await startConsumer(names.groupId, [on(topic, async (event) => void handled.push(event.type === 'thing.counted' ? event.data.n : -1))]);

    const [dead] = await readDlq(topic.name, 1);
    expect(dead).toMatchObject({ key: 'p-1', value: '{"not":"an envelope"' });
    expect(dead!.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'value is not JSON',
      [DLQ_HEADERS.topic]: topic.name,
      [DLQ_HEADERS.partition]: '0',
      [DLQ_HEADERS.offset]: '0',
      [DLQ_HEADERS.group]: names.groupId,
    });
    await expect.poll(() => handled).toEqual([7]);
  });

  it('dead-letters a record whose handler keeps failing, after bounded retries, and goes on', async () => {
    const names = testNames('consumer-failing');
    const topic = await thingsTopic(names, { partitions: 1 });
    await producer().send(topic, [
      { type: 'thing.counted', eventId: names.expoId, data: { thingId: 'f-1', n: 1 } },
      { type: 'thing.counted', eventId: names.expoId, data: { thingId: 'f-2', n: 2 } },
    ]);
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    await startConsumer(
      names.groupId,
      [
        on(topic, async (event) => {
          attempts.set(event.data.thingId, (attempts.get(event.data.thingId) ?? 0) + 1);
          if (event.data.thingId === 'f-1') throw new Error('cannot count f-1');
          handled.push(event.data.thingId);
        }),
      ],
      { maxAttempts: 3 },
    );

    const [dead] = await readDlq(topic.name, 1);
    expect(dead!.key).toBe('f-1');
    expect(dead!.headers[DLQ_HEADERS.reason]).toBe('handler failed after 3 attempts: cannot count f-1');
    expect(dead!.headers.type).toBe('thing.counted');
    await expect.poll(() => handled).toEqual(['f-2']);
    expect(attempts.get('f-1')).toBe(3);
  });

  it('neither loses nor repeats an effect when a consumer dies mid-batch and another resumes', async () => {
    const names = testNames('consumer-crash');
    const topic = await thingsTopic(names, { partitions: 3 });
    const total = 300;
    await producer().send(
      topic,
      Array.from({ length: total }, (_, i) => ({ type: 'thing.counted' as const, eventId: names.expoId, data: { thingId: `k-${i % 17}`, n: i } })),
    );
    const applied = `{${names.expoId}}:applied`;
    const counter = `{${names.expoId}}:count`;
    let invocations = 0;
    // Idempotent effect: count an event only the first time its envelope id is seen.
    const effect = async (id: string) => {
      invocations++;
      await redis.eval("if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('INCR', KEYS[2]) end", 2, applied, counter, id);
    };

    let first = 0;
    let dying: (() => void) | null = null;
    const died = new Promise<void>((resolve) => (dying = resolve));
    const crashing = await startConsumer(names.groupId, [
      on(topic, async (event) => {
        if (++first > 120) {
          dying?.();
          throw Object.assign(new Error('process is dying'), { transient: true });
        }
        await effect(event.id);
      }),
    ], { isTransient: (e) => (e as { transient?: boolean }).transient === true });
    await died;
    await crashing.stop();
    expect(Number(await redis.get(counter))).toBeLessThan(total);

    const resumed = await startConsumer(names.groupId, [on(topic, async (event) => effect(event.id))]);
    await resumed.consumer.waitUntilCaughtUp(30_000);

    expect(Number(await redis.get(counter))).toBe(total);
    expect(await redis.scard(applied)).toBe(total);
    expect(invocations).toBeGreaterThanOrEqual(total);
  });

  it('keeps each key in order while processing keys concurrently, and reports lag 0 once caught up', async () => {
    const names = testNames('consumer-order');
    const topic = await thingsTopic(names, { partitions: 2 });
    await producer().send(
      topic,
      Array.from({ length: 200 }, (_, i) => ({ type: 'thing.counted' as const, eventId: names.expoId, data: { thingId: `key-${i % 5}`, n: i } })),
    );
    const seen = new Map<string, number[]>();
    let active = 0;
    let maxActive = 0;
    const registry = new Registry();
    const { consumer } = await startConsumer(
      names.groupId,
      [
        on(topic, async (event) => {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          if (event.type === 'thing.counted') seen.set(event.data.thingId, [...(seen.get(event.data.thingId) ?? []), event.data.n]);
          active--;
        }),
      ],
      { concurrency: 4, metrics: registry },
    );
    await consumer.waitUntilCaughtUp(30_000);

    expect([...seen.values()].flat()).toHaveLength(200);
    for (const ns of seen.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
    expect(maxActive).toBeGreaterThan(1);
    expect(consumer.caughtUp).toBe(true);
    const lag = await registry.getSingleMetric('kafka_consumer_lag')!.get();
    expect(lag.values.filter((v) => v.labels.topic === topic.name).map((v) => v.value)).toEqual([0, 0]);
  });
});
