import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs, { type Kafka, type Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ensureTopics } from '../src/kafka/admin.ts';
import { createKafka } from '../src/kafka/client.ts';
import { startKafkaCluster, type RunningKafkaCluster } from '../src/kafka/cluster.ts';
import { pidsMatching } from './helpers.ts';

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { ConfigResourceTypes } = kafkajs;

const PARTITIONS = 12;
const KEYS = 48;
const SEND_INTERVAL_MS = 20;

interface Ack {
  readonly value: string;
  readonly partition: number;
  readonly sentAt: number;
  readonly ackedAt: number;
}

/**
 * Keyed records at a steady rate, each its own acks=-1 send (as the services' producers send), so
 * a partition without a leader holds up only its own records. Keeps every acknowledged record.
 */
function startStream(producer: Producer, topic: string) {
  const acked: Ack[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  let n = 0;
  const timer = setInterval(() => {
    const key = n % KEYS;
    const value = String(n++);
    // Key k always lands on partition k % 12, so the stream stays keyed and every partition is fed.
    const partition = key % PARTITIONS;
    const sentAt = Date.now();
    const send = producer.send({ topic, acks: -1, messages: [{ key: `key-${key}`, value, partition }] }).then(
      () => void acked.push({ value, partition, sentAt, ackedAt: Date.now() }),
      () => void (failed += 1),
    );
    inFlight.add(send);
    void send.finally(() => inFlight.delete(send));
  }, SEND_INTERVAL_MS);
  return {
    acked,
    failed: () => failed,
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Every record of the topic as `partition:value`, read from the beginning up to the end offsets. */
async function readAll(kafka: Kafka, topic: string): Promise<Set<string>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-reader` });
  const seen = new Set<string>();
  const next = new Map<number, number>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    const check = () => [...ends].every(([p, end]) => (next.get(p) ?? 0) >= end) && resolve();
    check();
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.add(`${partition}:${message.value?.toString() ?? ''}`);
        next.set(partition, Number(message.offset) + 1);
        check();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return seen;
}

async function partitionMetadata(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [described] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return described?.partitions ?? [];
  } finally {
    await admin.disconnect();
  }
}

async function topicConfig(kafka: Kafka, topic: string, name: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
    });
    return described.resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
  } finally {
    await admin.disconnect();
  }
}

/** Per partition, the time from `since` to the first acknowledgement of a record sent after it. */
function resumedAfter(acked: readonly Ack[], since: number): number[] {
  return Array.from({ length: PARTITIONS }, (_, p) => {
    const first = acked.find((a) => a.partition === p && a.sentAt > since);
    return first === undefined ? Number.POSITIVE_INFINITY : first.ackedAt - since;
  });
}

describe('the local three-node Kafka cluster', () => {
  it('loses no acknowledged record when the leader of a partition is killed with -9 mid-stream', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'expo-kafka-cluster-test-'));
    const log = (line: string) => console.log(`[cluster] ${line}`);
    let cluster: RunningKafkaCluster | null = null;
    try {
      const started = Date.now();
      cluster = await startKafkaCluster({ dataDir, ownerPid: process.pid, log });
      log(`three nodes up in ${Date.now() - started} ms`);
      expect(cluster.brokers.split(',')).toHaveLength(3);
      expect(cluster.nodes.map((n) => n.nodeId)).toEqual([1, 2, 3]);

      const topic = `cluster-test-${Date.now().toString(36)}`;
      const kafka = createKafka({ brokers: cluster.brokers, clientId: 'kafka-cluster-test' });
      const definition = {
        name: topic,
        key: 'key',
        producer: 'badge-scanning',
        cleanup: 'delete',
        partitions: PARTITIONS,
        retentionMs: null,
      } as const;
      await ensureTopics(kafka, [definition], { replicationFactor: 3 });
      const partitions = await partitionMetadata(kafka, topic);
      expect(partitions).toHaveLength(PARTITIONS);
      expect(partitions.every((p) => p.replicas.length === 3)).toBe(true);
      expect(await topicConfig(kafka, topic, 'min.insync.replicas')).toBe('2');

      // The client's retries outlast the time the cluster takes to fence the dead node and elect.
      const retry = { initialRetryTime: 100, maxRetryTime: 1000, retries: 40 };
      const producer = kafka.producer({ allowAutoTopicCreation: false, retry });
      await producer.connect();
      const stream = startStream(producer, topic);
      await expect
        .poll(() => resumedAfter(stream.acked, 0).every(Number.isFinite), {
          timeout: 20_000,
          interval: 200,
          message: 'not every partition acknowledged a record within 20 s',
        })
        .toBe(true);
      await new Promise((r) => setTimeout(r, 1000));

      const leaderId = (await partitionMetadata(kafka, topic)).find((p) => p.partitionId === 0)?.leader;
      const victim = cluster.nodes.find((n) => n.nodeId === leaderId);
      if (victim === undefined) throw new Error(`no node ${leaderId} leads partition 0`);
      const killedAt = Date.now();
      victim.kill('SIGKILL');
      log(`killed node ${victim.nodeId} (leader of partition 0) with ${stream.acked.length} records acknowledged`);

      await expect
        .poll(() => resumedAfter(stream.acked, killedAt).every(Number.isFinite), {
          timeout: 20_000,
          interval: 200,
          message: 'sends did not resume on every partition within 20 s of the kill',
        })
        .toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      await stream.stop();
      await producer.disconnect();
      const resumed = resumedAfter(stream.acked, killedAt);
      const counts = `${stream.acked.length} acknowledged, ${stream.failed()} failed`;
      log(`sends resumed after ${Math.max(...resumed)} ms (partition 0: ${resumed[0]} ms); ${counts}`);
      // A new leader is elected 3 s after the kill (broker.session.timeout.ms) and the producer retries
      // at least every second: a few seconds here alone. The bound leaves room for three brokers
      // sharing two cores with another test file (10.3 s seen in CI); the platform's own 10 s bound
      // after a leader loss is the chaos cluster profile's answers-resume check.
      expect(Math.max(...resumed)).toBeLessThan(15_000);

      const restartedAt = Date.now();
      await victim.start();
      const fullIsr = async () => (await partitionMetadata(kafka, topic)).every((p) => p.isr.length === 3);
      await expect.poll(fullIsr, { timeout: 30_000, interval: 250, message: `node ${victim.nodeId} not back in every ISR within 30 s` }).toBe(true);
      log(`node ${victim.nodeId} back in every ISR ${Date.now() - restartedAt} ms after its restart`);

      // Read once the node is back: a consumer group needs __consumer_offsets, which Kafka creates
      // (three copies) only with three brokers alive. The restarted node came back from a crash, so
      // this also shows that it did not bring back anything that would contradict the others.
      const read = await readAll(kafka, topic);
      const lost = stream.acked.filter((a) => !read.has(`${a.partition}:${a.value}`));
      expect(lost).toEqual([]);
    } finally {
      const stopping = Date.now();
      await cluster?.stop();
      log(`stopped in ${Date.now() - stopping} ms`);
      await expect
        .poll(() => pidsMatching(dataDir), { timeout: 20_000, interval: 200, message: 'Kafka nodes still running 20 s after the cluster stopped' })
        .toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it("stops every node, with the failing one's log tail, when one node cannot start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'expo-kafka-cluster-test-'));
    // Node 2's storage formatted for another node id: Kafka refuses to start on it.
    mkdirSync(join(dataDir, 'node-2', 'kraft-logs'), { recursive: true });
    writeFileSync(
      join(dataDir, 'node-2', 'kraft-logs', 'meta.properties'),
      'version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAQ\nnode.id=42\ndirectory.id=AAAAAAAAAAAAAAAAAAAAAg\n',
    );
    await expect(startKafkaCluster({ dataDir, ownerPid: process.pid })).rejects.toThrow(
      /Kafka node 2 exited during start-up \(code \d+\)\. Last lines of .*node-2\/kafka\.log:\n[\s\S]*Stored node id 42/,
    );
    await expect
      .poll(() => pidsMatching(dataDir), { timeout: 20_000, interval: 200, message: 'Kafka nodes still running 20 s after the failed start' })
      .toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
});
