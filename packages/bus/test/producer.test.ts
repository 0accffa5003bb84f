import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createTestTopics, kafkaBrokers, startDedicatedKafka, testNames } from '@expo/testkit';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { readTopicToEnd } from '../src/reader.ts';
import { EventValidationError, SendTimeoutError, isSendError } from '../src/errors.ts';
import { ThingCounted, thingsTopic } from './fixtures/contract.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function producerOn(brokers: string, options: { sendTimeoutMs?: number; lingerMs?: number; metrics?: Registry } = {}) {
  const producer = new BusProducer(createKafka({ brokers, clientId: 'producer-test' }), { source: 'bus-test', ...options });
  cleanups.push(() => producer.disconnect());
  return producer;
}

describe('BusProducer', () => {
  it('writes validated, completed envelopes keyed by the contract key', async () => {
    const names = testNames('producer-envelope');
    const topic = await thingsTopic(names);
    const producer = producerOn(kafkaBrokers());

    const [sent] = await producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 'a-1', n: 3 } }]);

    const seen: Array<{ key: string | null; value: unknown }> = [];
    await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'reader' }), topic, (record, key) => {
      if (record.kind === 'event') seen.push({ key, value: record.event });
    });
    expect(seen).toEqual([{ key: 'a-1', value: sent }]);
    expect(sent).toMatchObject({
      type: 'thing.counted',
      schemaVersion: 1,
      eventId: names.expoId,
      source: 'bus-test',
      data: { thingId: 'a-1', n: 3 },
    });
    expect(sent!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(sent!.recordedAt)).not.toBeNaN();
  });

  it('refuses an event that does not match its schema and sends nothing', async () => {
    const names = testNames('producer-invalid');
    const topic = await thingsTopic(names);
    const producer = producerOn(kafkaBrokers());

    await expect(producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 'b-1', n: -1 } }])).rejects.toBeInstanceOf(
      EventValidationError,
    );
    const read = await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'reader' }), topic, () => undefined);
    expect(read.records).toBe(0);
  });

  it('gathers many concurrent sends into a few produce requests', async () => {
    const names = testNames('producer-batching');
    const topic = await thingsTopic(names);
    const producer = producerOn(kafkaBrokers());
    await producer.connect();

    await Promise.all(
      Array.from({ length: 500 }, (_, i) => producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: `t-${i % 50}`, n: i } }])),
    );

    expect(producer.stats.records).toBe(500);
    expect(producer.stats.requests).toBeLessThan(50);
    const read = await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'reader' }), topic, () => undefined);
    expect(read.records).toBe(500);
  });

  it('with a linger, sends that arrive a few ms apart share one produce request', async () => {
    const names = testNames('producer-linger');
    const topic = await thingsTopic(names);
    const metrics = new Registry();
    const producer = producerOn(kafkaBrokers(), { lingerMs: 100, metrics });
    await producer.connect();

    const sends = [];
    for (let i = 0; i < 10; i++) {
      sends.push(producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: `t-${i}`, n: i } }]));
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(sends);

    expect(producer.stats).toEqual({ requests: 1, records: 10 });
    const read = await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'reader' }), topic, () => undefined);
    expect(read.records).toBe(10);
    // What ops see at /metrics: each of the ten sends waited out (most of) the linger, in one request.
    const text = await metrics.metrics();
    expect(text).toContain(`kafka_send_wait_seconds_count{topic="${topic.name}"} 10`);
    expect(text).toContain(`kafka_send_wait_seconds_bucket{le="0.05",topic="${topic.name}"} 0`);
    expect(text).toMatch(/kafka_produce_request_seconds_count 1\n/);
  });

  it('fails within its bound while the broker is down, and works again once it is back', async () => {
    const kafka = await startDedicatedKafka();
    cleanups.push(() => kafka.destroy());
    const names = testNames('producer-outage');
    const topics = await createTestTopics(
      names,
      [{ name: 'outage.v1', key: 'thingId', producer: 'analytics', cleanup: 'delete', partitions: 1, retentionMs: 3_600_000 }],
      { brokers: kafka.brokers },
    );
    const topic = { ...topics.get('outage.v1')!, events: [ThingCounted] } as const;
    const producer = producerOn(kafka.brokers, { sendTimeoutMs: 1500 });
    const event = (n: number) => ({ type: 'thing.counted' as const, eventId: names.expoId, data: { thingId: 'o-1', n } });
    await producer.send(topic, [event(1)]);

    await kafka.stop();
    const started = Date.now();
    const failure = await producer.send(topic, [event(2)]).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    expect(isSendError(failure)).toBe(true);
    expect(elapsed).toBeLessThan(2000);

    await kafka.restart();
    await expect
      .poll(
        async () =>
          producer.send(topic, [event(3)]).then(
            () => 'sent',
            (e: unknown) => (e instanceof SendTimeoutError ? 'timeout' : 'failed'),
          ),
        {
          timeout: 30_000,
          interval: 500,
        },
      )
      .toBe('sent');
    // Two broker starts and a poll: more than the default minute on a busy 2-core machine.
  }, 180_000);
});
