import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfraError, startInfra } from '@expo/infra';
import type { TestProject } from 'vitest/node';
import { dockerEngineReachable, startContainers } from './containers.ts';

/**
 * One real Kafka and one real Redis for the whole test run, shared by every test file:
 * - KAFKA_BROKERS / REDIS_URL set: those (nothing started for them);
 * - else a Docker engine reachable: Testcontainers;
 * - else a local broker from Apache Kafka's jars and a local redis-server, on free ports.
 * Local processes are bound to this process (infra/bin/guard.sh), so they end even if the test
 * run is killed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env;
  const useContainers = !env.KAFKA_BROKERS && !env.REDIS_URL && env.EXPO_TEST_INFRA !== 'local' && dockerEngineReachable();
  if (useContainers) {
    const infra = await startContainers();
    project.provide('kafkaBrokers', infra.kafkaBrokers);
    project.provide('redisUrl', infra.redisUrl);
    project.provide('infraMode', 'testcontainers');
    return () => infra.stop();
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'expo-test-infra-'));
  try {
    const infra = await startInfra({ dataDir, ownerPid: process.pid, env, log: (l) => console.log(`[testkit] ${l}`) });
    project.provide('kafkaBrokers', infra.kafkaBrokers);
    project.provide('redisUrl', infra.redisUrl);
    project.provide('infraMode', infra.kafka || infra.redis ? 'local' : 'env');
    return async () => {
      await infra.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    if (error instanceof InfraError) throw new Error(error.message);
    throw error;
  }
}
