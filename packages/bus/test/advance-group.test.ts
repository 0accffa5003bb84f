import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, testNames } from '@expo/testkit';
import { advanceGroupTo } from '../src/group-offsets.ts';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { readTopicToEnd } from '../src/reader.ts';
import { thingsTopic } from './fixtures/contract.ts';

const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'advance-group-test' });
const producer = new BusProducer(kafka, { source: 'bus-test', sendTimeoutMs: 30_000 });
afterAll(() => producer.disconnect());

const counted = (expoId: string, thingId: string, n: number) => ({ type: 'thing.counted' as const, eventId: expoId, data: { thingId, n } });

async function committed(groupId: string, topics: string[]): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId, topics });
    return Object.fromEntries(offsets.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, Number(p.offset)])));
  } finally {
    await admin.disconnect();
  }
}

describe('advanceGroupTo', () => {
  it('moves a group with no member to where a rebuild read every topic, so its consumer reads only what came after, and never moves it back', async () => {
    const names = testNames('advance-group');
    const [a, b] = [await thingsTopic(testNames('advance-a'), { partitions: 3 }), await thingsTopic(testNames('advance-b'), { partitions: 2 })];
    await producer.send(
      a,
      ['t1', 't2', 't3', 't4', 't5', 't6'].map((id, n) => counted(names.expoId, id, n)),
    );
    await producer.send(
      b,
      ['u1', 'u2', 'u3', 'u4'].map((id, n) => counted(names.expoId, id, n)),
    );
    const ends = new Map([
      [a.name, (await readTopicToEnd(kafka, a, () => undefined)).ends],
      [b.name, (await readTopicToEnd(kafka, b, () => undefined)).ends],
    ]);
    const groupId = `${names.groupId}.folded`;

    expect(await advanceGroupTo(kafka, groupId, ends, { deadline: Date.now() + 10_000 })).toBe(true);
    const expected = Object.fromEntries([...ends].flatMap(([topic, partitions]) => [...partitions].map(([p, end]) => [`${topic}:${p}`, end])));
    expect(await committed(groupId, [a.name, b.name])).toMatchObject(expected);

    // Ends older than the commits (a rebuild that read less) leave the commits where they are.
    const older = new Map([[a.name, new Map([...ends.get(a.name)!].map(([p]) => [p, 0]))]]);
    expect(await advanceGroupTo(kafka, groupId, older, { deadline: Date.now() + 10_000 })).toBe(true);
    expect(await committed(groupId, [a.name, b.name])).toMatchObject(expected);

    // The group's consumer goes on after the fold: it sees the record written now, none before.
    await producer.send(b, [counted(names.expoId, 'u5', 9)]);
    const consumer = kafka.consumer({ groupId });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [a.name, b.name], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              seen.push((JSON.parse(message.value!.toString()) as { data: { thingId: string } }).data.thingId);
              if (seen.includes('u5')) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(['u5']);
  });

  it('leaves a group that keeps a member alone and says so once the deadline passes', async () => {
    const names = testNames('advance-busy');
    const topic = await thingsTopic(names, { partitions: 1 });
    await producer.send(topic, [counted(names.expoId, 't1', 1)]);
    const { ends } = await readTopicToEnd(kafka, topic, () => undefined);
    const groupId = `${names.groupId}.busy`;
    const member = kafka.consumer({ groupId });
    await member.connect();
    await member.subscribe({ topics: [topic.name], fromBeginning: true });
    let joined!: () => void;
    const running = new Promise<void>((r) => (joined = r));
    member.on(member.events.GROUP_JOIN, () => joined());
    await member.run({ autoCommit: false, eachMessage: async () => undefined });
    await running;
    try {
      expect(await advanceGroupTo(kafka, groupId, new Map([[topic.name, ends]]), { deadline: Date.now() + 1500 })).toBe(false);
      expect(await committed(groupId, [topic.name])).toEqual({ [`${topic.name}:0`]: -1 });
    } finally {
      await member.disconnect();
    }
  });
});
