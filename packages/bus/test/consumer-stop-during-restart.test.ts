import { afterEach, describe, expect, it, vi } from 'vitest';
import { kafkaBrokers, testNames } from '@expo/testkit';
import { BusConsumer, on } from '../src/consumer.ts';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { thingsTopic } from './fixtures/contract.ts';
import { CuttableSockets } from './fixtures/cuttable-sockets.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const kafka = (clientId: string) => createKafka({ brokers: kafkaBrokers(), clientId });

async function members(groupId: string): Promise<number> {
  const admin = kafka('stop-restart-admin').admin();
  await admin.connect();
  try {
    return (await admin.describeGroups([groupId])).groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`timed out waiting until ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/**
 * A member that keeps the group rebalancing for as long as the test wants: it takes the partition,
 * then holds its batch without a heartbeat, so a JoinGroup of anyone else waits until it is let go.
 */
async function slowMember(groupId: string, topic: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let holding!: () => void;
  const held = new Promise<void>((r) => (holding = r));
  const consumer = kafka('stop-restart-slow').consumer({ groupId });
  let closed = false;
  const close = async () => {
    release();
    if (closed) return;
    closed = true;
    await consumer.disconnect();
  };
  cleanups.push(close);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async () => {
      holding();
      await released;
    },
  });
  await held;
  return { release, close };
}

// The chaos run's analytics hang: the broker came back after a kill -9, kafkajs crashed the
// consumers and restarted them itself; Redis was lost while they were joining again, the state
// lifecycle stopped them, yet they joined and stayed in the group, so the refold waited forever
// for the group to empty.
describe('BusConsumer stopped while kafkajs restarts it after a crash', () => {
  it('leaves the group and stays out', async () => {
    const names = testNames('consumer-stop-restart');
    const topic = await thingsTopic(names, { partitions: 1 });
    const producer = new BusProducer(kafka('stop-restart-producer'), { source: 'bus-test', sendTimeoutMs: 30_000 });
    cleanups.push(() => producer.disconnect());
    await producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 't-1', n: 1 } }]);
    const slow = await slowMember(names.groupId, topic.name);

    const sockets = new CuttableSockets();
    const consumer = new BusConsumer(createKafka({ brokers: kafkaBrokers(), clientId: 'stop-restart' }, { socketFactory: sockets.factory }), {
      groupId: names.groupId,
      handlers: [on(topic, async () => undefined)],
      producer,
      relaunchDelayMs: 300,
    });
    cleanups.push(() => consumer.stop());
    void consumer.start();
    // Its JoinGroup waits for the slow member: the broker goes away under it, it crashes.
    await until('the consumer is joining', () => sockets.joinsSent >= 2);
    const joinsBefore = sockets.joinsSent;
    sockets.cut();
    // Started again after the crash, it is joining again when the service stops it.
    await until('the consumer is joining again', () => sockets.joinsSent > joinsBefore);
    const stopped = consumer.stop();
    slow.release();
    await stopped;
    await slow.close();

    // The members the cut left behind expire with their session (30 s); a consumer that joined
    // again behind the stop heartbeats, and the group never empties (the refold's wait).
    await until('the group is empty', async () => (await members(names.groupId)) === 0, 45_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await members(names.groupId)).toBe(0);
  }, 90_000);
});
