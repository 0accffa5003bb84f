import { spawnSync } from 'node:child_process';
import { KafkaContainer } from '@testcontainers/kafka';
import { RedisContainer } from '@testcontainers/redis';

export interface ContainerInfra {
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

/** True when a Docker engine answers (not merely a docker client on PATH). */
export function dockerEngineReachable(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 && result.stdout.trim().length > 0;
}

/** Confluent's image of Apache Kafka 3.9 in KRaft mode: the image the Node Kafka module supports. */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.1';
const REDIS_IMAGE = 'redis:7.4-alpine';
const KAFKA_CLIENT_PORT = 9093;

export async function startContainers(): Promise<ContainerInfra> {
  const [kafka, redis] = await Promise.all([
    new KafkaContainer(KAFKA_IMAGE).withKraft().withExposedPorts(KAFKA_CLIENT_PORT).withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' }).start(),
    new RedisContainer(REDIS_IMAGE).start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(KAFKA_CLIENT_PORT)}`,
    redisUrl: redis.getConnectionUrl(),
    async stop() {
      await Promise.all([kafka.stop(), redis.stop()]);
    },
  };
}
