import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { allTopicDefinitions, KAFKA_ADMIN_USER } from '@expo/schemas';
import type { KafkaConfig } from 'kafkajs';
import { createKafka } from './kafka/client.ts';
import { ensureTopics, waitForBroker, type ProvisionOptions, type TopicChange } from './kafka/admin.ts';
import { InfraError } from './errors.ts';
import { scramConnection, startKafka, type KafkaOptions, type RunningKafka } from './kafka/broker.ts';
import { startKafkaCluster, type RunningKafkaCluster } from './kafka/cluster.ts';
import { startRedisCluster, type RunningRedisCluster } from './redis/cluster.ts';
import type { RedisAclOptions } from './redis/acl.ts';
import { startRedis, type RunningRedis } from './redis/server.ts';

export interface InfraOptions {
  /** Kafka's and Redis's working folders go below it. */
  readonly dataDir: string;
  /** Started processes end when this process is gone; 0 keeps them running (infra:up). */
  readonly ownerPid: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Ports used when free (development defaults); tests leave them out and get any free port. */
  readonly preferredPorts?: { readonly kafka?: number; readonly redis?: number };
  /** 3: a three-node Kafka cluster instead of one broker (default: EXPO_KAFKA_NODES, else 1). */
  readonly kafkaNodes?: 1 | 3;
  /**
   * A Redis Cluster (three primaries, three replicas) instead of one redis-server (default:
   * EXPO_REDIS_CLUSTER=1); REDIS_PORT and the preferred Redis port do not apply to it.
   */
  readonly redisCluster?: boolean;
  /**
   * A local redis-server secured with these ACL users (see RedisAclOptions; not with a cluster):
   * `redisUrl` is then the admin's, each user's URL in `redis.userUrls`. Off by default.
   */
  readonly redisAcl?: RedisAclOptions;
  /**
   * The local single broker started secured (SASL/SCRAM, ACLs from the topic table; see
   * KafkaOptions.secured): `kafka.credentials` holds the users' passwords. Not with a cluster (yet).
   * Off by default.
   */
  readonly kafkaSecured?: KafkaOptions['secured'];
  readonly log?: (line: string) => void;
}

export interface Infra {
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  /** What this call started (null where KAFKA_BROKERS / REDIS_URL pointed elsewhere, or a cluster was started instead). */
  readonly kafka: RunningKafka | null;
  readonly kafkaCluster: RunningKafkaCluster | null;
  readonly redis: RunningRedis | null;
  readonly redisCluster: RunningRedisCluster | null;
  /**
   * What `infra:down` stops: the guard of every process started, except a Redis Cluster's nodes,
   * named by their redis-server (stopping it ends its guard too).
   */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

function optionalPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InfraError(`${name}=${raw} is not a TCP port`);
  return port;
}

/** The single broker's folder below the data dir (kept between runs of `pnpm dev`). */
export function localKafkaDir(dataDir: string): string {
  return join(dataDir, 'kafka');
}

/**
 * What startInfra starts locally for these options: one broker or three nodes, one redis-server or
 * a Redis Cluster (whatever KAFKA_BROKERS and REDIS_URL leave to it).
 */
export function localShape(
  options: Pick<InfraOptions, 'env' | 'kafkaNodes' | 'redisCluster'>,
  env: NodeJS.ProcessEnv = options.env ?? process.env,
): { kafkaNodes: 1 | 3; redisCluster: boolean } {
  return { kafkaNodes: kafkaNodes(options, env), redisCluster: redisCluster(options, env) };
}

function kafkaNodes(options: Pick<InfraOptions, 'kafkaNodes'>, env: NodeJS.ProcessEnv): 1 | 3 {
  if (options.kafkaNodes !== undefined) return options.kafkaNodes;
  const raw = env.EXPO_KAFKA_NODES;
  if (raw === undefined || raw === '' || raw === '1') return 1;
  if (raw === '3') return 3;
  throw new InfraError(`EXPO_KAFKA_NODES=${raw}: a local Kafka runs as 1 broker or a cluster of 3 nodes`);
}

/** KAFKA_PORT pins the single broker's port; a cluster's nodes take the preferred ports or free ones. */
function startLocalKafka(options: InfraOptions, env: NodeJS.ProcessEnv): Promise<RunningKafka | RunningKafkaCluster> {
  const common = { preferredPort: options.preferredPorts?.kafka, ownerPid: options.ownerPid, env, log: options.log };
  if (kafkaNodes(options, env) === 3) {
    if (options.kafkaSecured) return Promise.reject(new InfraError('a local Kafka cluster is not started secured yet; use one broker'));
    // The cluster has a folder of its own: the single broker's storage belongs to another cluster id.
    return startKafkaCluster({ ...common, dataDir: join(options.dataDir, 'kafka-cluster') });
  }
  const secured = options.kafkaSecured ? { secured: options.kafkaSecured } : {};
  return startKafka({ ...common, dataDir: localKafkaDir(options.dataDir), port: optionalPort(env, 'KAFKA_PORT'), ...secured });
}

function redisCluster(options: Pick<InfraOptions, 'redisCluster'>, env: NodeJS.ProcessEnv): boolean {
  if (options.redisCluster !== undefined) return options.redisCluster;
  const raw = env.EXPO_REDIS_CLUSTER;
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new InfraError(`EXPO_REDIS_CLUSTER=${raw}: 1 starts a local Redis Cluster, 0 (or nothing) one redis-server`);
}

function startLocalRedis(options: InfraOptions, env: NodeJS.ProcessEnv): Promise<RunningRedis | RunningRedisCluster> {
  const common = { ownerPid: options.ownerPid, log: options.log };
  if (redisCluster(options, env)) {
    if (options.redisAcl) {
      return Promise.reject(new InfraError('Redis ACL users are not set up on a local Redis Cluster yet; use one redis-server'));
    }
    // Created anew each time (nothing is persisted): a node given a port it had in an earlier run
    // would load that run's nodes-<port>.conf, and `redis-cli --cluster create` refuses a node
    // that already knows others.
    const dataDir = join(options.dataDir, 'redis-cluster');
    rmSync(dataDir, { recursive: true, force: true });
    return startRedisCluster({ ...common, dataDir });
  }
  return startRedis({
    ...common,
    dataDir: join(options.dataDir, 'redis'),
    port: optionalPort(env, 'REDIS_PORT'),
    preferredPort: options.preferredPorts?.redis,
    ...(options.redisAcl ? { acl: options.redisAcl } : {}),
  });
}

/**
 * Kafka and Redis for the platform: the clusters named by KAFKA_BROKERS and REDIS_URL when set
 * (nothing is started for them), otherwise a local broker (or three-node cluster) from Apache
 * Kafka's jars and a local redis-server (or Redis Cluster) on free ports.
 */
export async function startInfra(options: InfraOptions): Promise<Infra> {
  const env = options.env ?? process.env;
  const kafkaPromise: Promise<RunningKafka | RunningKafkaCluster | null> = env.KAFKA_BROKERS
    ? waitForBroker(env.KAFKA_BROKERS, 10_000).then(() => null)
    : startLocalKafka(options, env);
  const redisPromise: Promise<RunningRedis | RunningRedisCluster | null> = env.REDIS_URL ? Promise.resolve(null) : startLocalRedis(options, env);
  const [kafka, redis] = await Promise.allSettled([kafkaPromise, redisPromise]);
  if (kafka.status === 'rejected' || redis.status === 'rejected') {
    if (kafka.status === 'fulfilled') await kafka.value?.stop();
    if (redis.status === 'fulfilled') await redis.value?.stop();
    throw kafka.status === 'rejected' ? kafka.reason : (redis as PromiseRejectedResult).reason;
  }
  const local = { kafka: kafka.value, redis: redis.value };
  const started = {
    kafka: local.kafka !== null && !('nodes' in local.kafka) ? local.kafka : null,
    kafkaCluster: local.kafka !== null && 'nodes' in local.kafka ? local.kafka : null,
    redis: local.redis !== null && !('nodes' in local.redis) ? local.redis : null,
    redisCluster: local.redis !== null && 'nodes' in local.redis ? local.redis : null,
  };
  const pids = [
    started.kafka?.pid,
    ...(started.kafkaCluster?.nodes.map((n) => n.pid) ?? []),
    started.redis?.pid,
    ...(started.redisCluster?.nodes.map((n) => n.pid) ?? []),
  ];
  return {
    kafkaBrokers: local.kafka?.brokers ?? (env.KAFKA_BROKERS as string),
    redisUrl: local.redis?.url ?? (env.REDIS_URL as string),
    ...started,
    pids: pids.filter((pid): pid is number => pid !== undefined),
    async stop() {
      await Promise.all([local.kafka?.stop(), local.redis?.stop()]);
    },
  };
}

/**
 * Applies the topic table of packages/schemas (with dead-letter topics) to the cluster, every name
 * after `topicPrefix` when one is given: the topic set of one expo (or one environment) apart from
 * others on the same cluster, as the services' TOPIC_PREFIX names it.
 */
export async function provisionTopics(
  brokers: string,
  options: ProvisionOptions & {
    readonly topicPrefix?: string;
    /** How to connect beyond the address: a secured broker's admin (see adminConnection). */
    readonly connection?: Pick<KafkaConfig, 'sasl' | 'ssl'>;
  } = {},
): Promise<TopicChange[]> {
  const prefix = options.topicPrefix ?? '';
  if (!/^[A-Za-z0-9._-]*$/.test(prefix)) throw new InfraError(`topic prefix "${prefix}": letters, digits, ".", "_" and "-" only`);
  const definitions = allTopicDefinitions().map((d) => ({ ...d, name: `${prefix}${d.name}` }));
  return ensureTopics(createKafka({ brokers, clientId: 'expo-provisioning' }, options.connection ?? {}), definitions, options);
}

/** kafkajs settings of the broker's super user when startInfra started it secured; none otherwise. */
export function adminConnection(infra: Pick<Infra, 'kafka'>): Pick<KafkaConfig, 'sasl'> {
  const credentials = infra.kafka?.credentials;
  return credentials ? scramConnection(credentials, KAFKA_ADMIN_USER) : {};
}
