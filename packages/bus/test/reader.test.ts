import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, testNames } from '@expo/testkit';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { readTopicToEnd } from '../src/reader.ts';
import { thingsTopic } from './fixtures/contract.ts';

const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'reader-test' });
const producer = new BusProducer(kafka, { source: 'bus-test', sendTimeoutMs: 30_000 });
afterAll(() => producer.disconnect());

describe('readTopicToEnd', () => {
  it('replays a compacted topic to its end, snapshots and tombstones, to rebuild the latest state', async () => {
    const names = testNames('reader');
    const topic = await thingsTopic(names, { cleanup: 'compact', partitions: 3 });
    const event = (thingId: string, n: number) => ({ type: 'thing.counted' as const, eventId: names.expoId, data: { thingId, n } });
    await producer.send(topic, [event('a', 1), event('b', 1), event('c', 1), event('a', 2)]);
    await producer.sendTombstone(topic, 'b');
    await producer.send(topic, [event('c', 5)]);

    const state = new Map<string, number>();
    const result = await readTopicToEnd(kafka, topic, (record) => {
      if (record.kind === 'tombstone') state.delete(record.key);
      else if (record.event.type === 'thing.counted') state.set(record.event.data.thingId, record.event.data.n);
    });

    expect(Object.fromEntries(state)).toEqual({ a: 2, c: 5 });
    expect(result).toMatchObject({ records: 6, invalid: 0 });
    // Where a consumer of the fold goes on: after the last record of each partition.
    expect([...result.ends.values()].reduce((sum, end) => sum + end, 0)).toBe(6);
  });

  it('with `only`, hands over the events of those types and tombstones; the rest are read past unparsed', async () => {
    const names = testNames('reader-only');
    const topic = await thingsTopic(names, { partitions: 2 });
    const counted = (thingId: string, n: number) => ({ type: 'thing.counted' as const, eventId: names.expoId, data: { thingId, n } });
    const removed = (thingId: string) => ({ type: 'thing.removed' as const, eventId: names.expoId, data: { thingId } });
    await producer.send(topic, [counted('a', 1), removed('a'), counted('b', 2), counted('c', 3), removed('c')]);
    await producer.sendTombstone(topic, 'd');

    const seen: string[] = [];
    const result = await readTopicToEnd(
      kafka,
      topic,
      (record) => void seen.push(record.kind === 'tombstone' ? `tombstone ${record.key}` : `${record.event.type} ${record.event.data.thingId}`),
      { only: ['thing.removed'] },
    );

    expect(seen.sort()).toEqual(['thing.removed a', 'thing.removed c', 'tombstone d']);
    // Every record is read (the ends are those of the topic), the skipped ones too.
    expect(result).toMatchObject({ records: 6, invalid: 0 });
  });

  it("with `eventId`, hands over that expo's events and every tombstone; other expos' events are read past", async () => {
    const names = testNames('reader-expo');
    const topic = await thingsTopic(names, { partitions: 2 });
    const counted = (eventId: string, thingId: string) => ({ type: 'thing.counted' as const, eventId, data: { thingId, n: 1 } });
    await producer.send(topic, [counted(names.expoId, 'a'), counted(`${names.expoId}-other`, 'b'), counted(names.expoId, 'c')]);
    await producer.sendTombstone(topic, 'd');

    const seen: string[] = [];
    const result = await readTopicToEnd(
      kafka,
      topic,
      (record) => void seen.push(record.kind === 'tombstone' ? `tombstone ${record.key}` : record.event.data.thingId),
      { eventId: names.expoId },
    );

    expect(seen.sort()).toEqual(['a', 'c', 'tombstone d']);
    expect(result).toMatchObject({ records: 4, invalid: 0 });
  });

  it('returns at once on an empty topic', async () => {
    const topic = await thingsTopic(testNames('reader-empty'));
    expect(await readTopicToEnd(kafka, topic, () => undefined)).toMatchObject({ records: 0, invalid: 0 });
  });
});
