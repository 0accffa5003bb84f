import { join } from 'node:path';
import { allTopicDefinitions } from '@expo/schemas';
import { createKafka } from './kafka/client.ts';
import { ensureTopics, waitForBroker, type TopicChange } from './kafka/admin.ts';
import { InfraError } from './errors.ts';
import { startKafka, type RunningKafka } from './kafka/broker.ts';
import { startRedis, type RunningRedis } from './redis/server.ts';

export interface InfraOptions {
  /** Kafka's and Redis's working folders go below it. */
  readonly dataDir: string;
  /** Started processes end when this process is gone; 0 keeps them running (infra:up). */
  readonly ownerPid: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Ports used when free (development defaults); tests leave them out and get any free port. */
  readonly preferredPorts?: { readonly kafka?: number; readonly redis?: number };
  readonly log?: (line: string) => void;
}

export interface Infra {
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  /** What this call started (null where KAFKA_BROKERS / REDIS_URL pointed elsewhere). */
  readonly kafka: RunningKafka | null;
  readonly redis: RunningRedis | null;
  stop(): Promise<void>;
}

function optionalPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InfraError(`${name}=${raw} is not a TCP port`);
  return port;
}

/**
 * Kafka and Redis for the platform: the clusters named by KAFKA_BROKERS and REDIS_URL when set
 * (nothing is started for them), otherwise a local broker from Apache Kafka's jars and a local
 * redis-server on free ports.
 */
export async function startInfra(options: InfraOptions): Promise<Infra> {
  const env = options.env ?? process.env;
  const kafkaPromise: Promise<RunningKafka | null> = env.KAFKA_BROKERS
    ? waitForBroker(env.KAFKA_BROKERS, 10_000).then(() => null)
    : startKafka({
        dataDir: join(options.dataDir, 'kafka'),
        port: optionalPort(env, 'KAFKA_PORT'),
        preferredPort: options.preferredPorts?.kafka,
        ownerPid: options.ownerPid,
        env,
        log: options.log,
      });
  const redisPromise: Promise<RunningRedis | null> = env.REDIS_URL
    ? Promise.resolve(null)
    : startRedis({
        dataDir: join(options.dataDir, 'redis'),
        port: optionalPort(env, 'REDIS_PORT'),
        preferredPort: options.preferredPorts?.redis,
        ownerPid: options.ownerPid,
        log: options.log,
      });
  const [kafka, redis] = await Promise.allSettled([kafkaPromise, redisPromise]);
  if (kafka.status === 'rejected' || redis.status === 'rejected') {
    if (kafka.status === 'fulfilled') await kafka.value?.stop();
    if (redis.status === 'fulfilled') await redis.value?.stop();
    throw kafka.status === 'rejected' ? kafka.reason : (redis as PromiseRejectedResult).reason;
  }
  const started = { kafka: kafka.value, redis: redis.value };
  return {
    kafkaBrokers: started.kafka?.brokers ?? (env.KAFKA_BROKERS as string),
    redisUrl: started.redis?.url ?? (env.REDIS_URL as string),
    ...started,
    async stop() {
      await Promise.all([started.kafka?.stop(), started.redis?.stop()]);
    },
  };
}

/** Applies the topic table of packages/schemas (with dead-letter topics) to the cluster. */
export async function provisionTopics(brokers: string): Promise<TopicChange[]> {
  return ensureTopics(createKafka({ brokers, clientId: 'expo-provisioning' }), allTopicDefinitions());
}
