import { join } from 'node:path';
import {
  CLUSTER_REPLICATION,
  createKafka,
  provisionTopics,
  redisCommand,
  servesSlot,
  startKafkaCluster,
  startRedisCluster,
  type KafkaNode,
  type RedisClusterNode,
  type RunningKafkaCluster,
  type RunningRedisCluster,
} from '@expo/infra';

/**
 * A three-node Kafka cluster (three copies of every partition, two in sync for an acknowledged
 * write) and a Redis Cluster (three primaries, three replicas), owned by the chaos run. The
 * services connect to them directly: the faults here are the clusters' own (a node killed), which
 * the clusters are built to survive.
 */
export class ClusterInfra {
  private constructor(
    readonly kafka: RunningKafkaCluster,
    readonly redis: RunningRedisCluster,
  ) {}

  static async start(dir: string, log: (line: string) => void): Promise<ClusterInfra> {
    // Three JVMs recovering on cores the services keep busy: as the single broker, a long start budget.
    const kafka = await startKafkaCluster({ dataDir: join(dir, 'kafka-cluster'), ownerPid: process.pid, log, startTimeoutMs: 240_000 });
    const redis = await startRedisCluster({ dataDir: join(dir, 'redis-cluster'), ownerPid: process.pid, log, startTimeoutMs: 60_000 }).catch(
      async (error: unknown) => {
        await kafka.stop();
        throw error;
      },
    );
    const infra = new ClusterInfra(kafka, redis);
    try {
      await provisionTopics(kafka.brokers, { replicationFactor: CLUSTER_REPLICATION.factor });
    } catch (error) {
      await infra.stop();
      throw error;
    }
    return infra;
  }

  get ports(): number[] {
    return [...this.kafka.nodes.map((n) => n.port), ...this.redis.nodes.map((n) => n.port)];
  }

  get kafkaBrokers(): string {
    return this.kafka.brokers;
  }

  get redisUrl(): string {
    return this.redis.url;
  }

  /** The cluster is not secured yet (issue 21): no users, everyone connects as anyone. */
  get kafkaAdmin(): { readonly brokers: string } {
    return { brokers: this.kafkaBrokers };
  }

  /** What a service connects with: the same addresses for every service, no users (not secured yet). */
  serviceEnv(_service: string): NodeJS.ProcessEnv {
    return { KAFKA_BROKERS: this.kafkaBrokers, REDIS_URL: this.redisUrl };
  }

  /** The node leading `partition` of `topic` now. */
  async leaderOf(topic: string, partition: number): Promise<KafkaNode> {
    const admin = createKafka({ brokers: this.kafka.brokers, clientId: 'chaos-metadata' }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const leader = topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
      const node = this.kafka.nodes.find((n) => n.nodeId === leader);
      if (node === undefined) throw new Error(`no node leads ${topic}/${partition} (leader ${leader})`);
      return node;
    } finally {
      await admin.disconnect();
    }
  }

  /** The primary serving the slot of the expo's keys (`{expoId}:...`) now. */
  async primaryOfExpo(expoId: string): Promise<{ node: RedisClusterNode; slot: number }> {
    const primaries = await this.redis.primaries();
    const slot = Number(await redisCommand(primaries[0]?.port ?? 0, ['CLUSTER', 'KEYSLOT', `{${expoId}}`]));
    const primary = primaries.find((p) => servesSlot(p, slot));
    const node = this.redis.nodes.find((n) => n.port === primary?.port);
    if (node === undefined) throw new Error(`no running primary serves slot ${slot} of expo ${expoId}`);
    return { node, slot };
  }

  async stop(): Promise<void> {
    await Promise.all([this.kafka.stop(), this.redis.stop()]);
  }
}
