import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis, kafkaBrokers, testNames } from '@expo/testkit';
import { Registry } from 'prom-client';
import { BusConsumer, on, type TopicHandler } from '../src/consumer.ts';
import { DLQ_HEADERS } from '../src/dlq.ts';
import { headerString } from '../src/decode.ts';
import { SendTimeoutError } from '../src/errors.ts';
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

/** Writes envelopes as a producer of another schema version would: exactly these bytes. */
async function sendRaw(topic: string, records: Array<{ key: string; schemaVersion: number; data: object }>, expoId: string) {
  const raw = kafka().producer();
  cleanups.push(() => raw.disconnect());
  await raw.connect();
  const now = new Date().toISOString();
  await raw.send({
    topic,
    acks: -1,
    messages: records.map((r) => ({
      key: r.key,
      value: JSON.stringify({
        id: randomUUID(),
        type: 'thing.counted',
        schemaVersion: r.schemaVersion,
        eventId: expoId,
        source: 'newer-producer',
        occurredAt: now,
        recordedAt: now,
        data: r.data,
      }),
      headers: { type: 'thing.counted', schemaVersion: String(r.schemaVersion) },
    })),
  });
}

/** Records in a topic (its DLQ twin, say): end minus start offsets over its partitions. */
async function recordsIn(topic: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

async function committedOffset(groupId: string, topic: string, partition = 0): Promise<string | undefined> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets?.partitions.find((p) => p.partition === partition)?.offset;
  } finally {
    await admin.disconnect();
  }
}

const metricValues = async (registry: Registry, name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];

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
          // Declared retryable (failure.ts): retried until the consumer stops, never dead-lettered.
          throw Object.assign(new Error('process is dying'), { retryable: true });
        }
        await effect(event.id);
      }),
    ]);
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

  it('retries a record whose handler fails on a Kafka send (a broker blip) until it succeeds, never dead-lettering it', async () => {
    const names = testNames('consumer-broker-blip');
    const topic = await thingsTopic(names, { partitions: 1 });
    await producer().send(topic, [
      { type: 'thing.counted', eventId: names.expoId, data: { thingId: 'b-1', n: 1 } },
      { type: 'thing.counted', eventId: names.expoId, data: { thingId: 'b-2', n: 2 } },
    ]);
    const registry = new Registry();
    let failures = 6;
    const handled: string[] = [];
    await startConsumer(
      names.groupId,
      [
        on(topic, async (event) => {
          // The handler's own write to Kafka times out a few times more than maxAttempts allows.
          if (event.data.thingId === 'b-1' && failures-- > 0) throw new SendTimeoutError('things.out.v1', 1500);
          handled.push(event.data.thingId);
        }),
      ],
      { maxAttempts: 3, metrics: registry },
    );

    await expect.poll(() => [...handled].sort(), { timeout: 20_000 }).toEqual(['b-1', 'b-2']);
    expect(await recordsIn(`${topic.name}.dlq`)).toBe(0);
    expect(await metricValues(registry, 'bus_consumer_retries_total')).toEqual([
      expect.objectContaining({ value: 6, labels: { group: names.groupId, topic: topic.name, reason: 'kafka_send_timeout' } }),
    ]);
  });

  it('applies a record of a newer schema version whose data still satisfies the known schema, ignoring the fields it does not know', async () => {
    const names = testNames('consumer-v2-additive');
    const topic = await thingsTopic(names, { partitions: 1 });
    await sendRaw(topic.name, [{ key: 'v-1', schemaVersion: 2, data: { thingId: 'v-1', n: 5, colour: 'green' } }], names.expoId);
    await producer().send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 'v-2', n: 6 } }]);
    const handled: object[] = [];
    const { consumer } = await startConsumer(names.groupId, [on(topic, async (event) => void handled.push(event.data))]);

    await expect
      .poll(() => handled, { timeout: 20_000 })
      .toEqual([
        { thingId: 'v-1', n: 5 },
        { thingId: 'v-2', n: 6 },
      ]);
    await consumer.waitUntilCaughtUp(20_000);
    expect(await recordsIn(`${topic.name}.dlq`)).toBe(0);
  });

  it('stops the partition at a newer-version record that breaks the known schema: nothing after it applied or committed, nothing dead-lettered, bus_consumer_paused says where', async () => {
    const names = testNames('consumer-v2-breaking');
    const topic = await thingsTopic(names, { partitions: 1 });
    await producer().send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 's-1', n: 1 } }]);
    // v2 made `n` a string: not an additive change, so this consumer cannot read it as v1.
    await sendRaw(topic.name, [{ key: 's-2', schemaVersion: 2, data: { thingId: 's-2', n: 'two' } }], names.expoId);
    await producer().send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 's-3', n: 3 } }]);
    const registry = new Registry();
    const handled: string[] = [];
    const { consumer } = await startConsumer(names.groupId, [on(topic, async (event) => void handled.push(event.data.thingId))], { metrics: registry });

    await expect.poll(() => handled, { timeout: 20_000 }).toContain('s-1');
    await new Promise((r) => setTimeout(r, 2000));
    expect(handled).toEqual(['s-1']);
    expect(await recordsIn(`${topic.name}.dlq`)).toBe(0);
    expect(await committedOffset(names.groupId, topic.name)).toBe('1');
    expect(consumer.stoppedPartitions).toEqual([expect.objectContaining({ topic: topic.name, partition: 0, offset: '1', reason: 'newer_schema' })]);
    expect(consumer.stoppedPartitions[0]!.detail).toContain('thing.counted v2 read as v1: data.n');
    expect(await metricValues(registry, 'bus_consumer_paused')).toEqual([
      expect.objectContaining({ value: 1, labels: { group: names.groupId, topic: topic.name, partition: '0', reason: 'newer_schema' } }),
    ]);
    // Caught up as far as it can go: readiness is not held back by the stopped partition.
    await consumer.waitUntilCaughtUp(20_000);
  });

  it('still dead-letters a record that is malformed for the version it claims (v1), with its reason code', async () => {
    const names = testNames('consumer-v1-malformed');
    const topic = await thingsTopic(names, { partitions: 1 });
    await sendRaw(topic.name, [{ key: 'm-1', schemaVersion: 1, data: { thingId: 'm-1', n: 'one' } }], names.expoId);
    await producer().send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 'm-2', n: 2 } }]);
    const registry = new Registry();
    const handled: string[] = [];
    await startConsumer(names.groupId, [on(topic, async (event) => void handled.push(event.data.thingId))], { metrics: registry });

    const [dead] = await readDlq(topic.name, 1);
    expect(dead!.key).toBe('m-1');
    expect(dead!.headers[DLQ_HEADERS.code]).toBe('schema_violation');
    expect(dead!.headers[DLQ_HEADERS.reason]).toContain('schema thing.counted v1: data.n');
    await expect.poll(() => handled).toEqual(['m-2']);
    expect(await metricValues(registry, 'bus_dlq_records_total')).toEqual([
      expect.objectContaining({ value: 1, labels: { group: names.groupId, topic: topic.name, reason: 'schema_violation' } }),
    ]);
  });
});
