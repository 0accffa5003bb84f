import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
    /**
     * How the services were obtained: `env`, `local` (jars + redis-server), `cluster` (three Kafka
     * nodes and a Redis Cluster, EXPO_TEST_INFRA=cluster) or `testcontainers`.
     */
    infraMode: string;
  }
}

/** The broker list of this test run's real Kafka (from the global setup). */
export function kafkaBrokers(): string {
  return inject('kafkaBrokers');
}

/** The URL of this test run's real Redis (from the global setup). */
export function redisUrl(): string {
  return inject('redisUrl');
}
