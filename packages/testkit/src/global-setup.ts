import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfraError, startInfra, type Infra } from '@expo/infra';
import type { TestProject } from 'vitest/node';
import { dockerEngineReachable, startContainers } from './containers.ts';

interface RunInfra {
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  readonly infraMode: string;
  stop(): Promise<void>;
}

interface SharedRun {
  readonly runId: string;
  readonly infra: Promise<RunInfra>;
  users: number;
}

/**
 * Vitest runs a global setup once for every project of the run (each workspace package, and the
 * root), all in its own process: the first starts the infrastructure, the others share it, and the
 * last teardown stops it.
 */
const SHARED = Symbol.for('@expo/testkit/run');
const holder = globalThis as { [SHARED]?: SharedRun };

/** What was started: a cluster when any of the two is one, else one process each, else nothing. */
function localMode(infra: Infra): string {
  if (infra.kafkaCluster || infra.redisCluster) return 'cluster';
  return infra.kafka || infra.redis ? 'local' : 'env';
}

async function startRunInfra(env: NodeJS.ProcessEnv): Promise<RunInfra> {
  const cluster = env.EXPO_TEST_INFRA === 'cluster';
  const forcedLocal = env.EXPO_TEST_INFRA === 'local' || cluster;
  const useContainers = !env.KAFKA_BROKERS && !env.REDIS_URL && !forcedLocal && dockerEngineReachable();
  if (useContainers) {
    const infra = await startContainers();
    return { kafkaBrokers: infra.kafkaBrokers, redisUrl: infra.redisUrl, infraMode: 'testcontainers', stop: () => infra.stop() };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'expo-test-infra-'));
  try {
    const log = (l: string) => console.log(`[testkit] ${l}`);
    const shape = cluster ? ({ kafkaNodes: 3, redisCluster: true } as const) : {};
    const infra = await startInfra({ dataDir, ownerPid: process.pid, env, ...shape, log });
    return {
      kafkaBrokers: infra.kafkaBrokers,
      redisUrl: infra.redisUrl,
      infraMode: localMode(infra),
      async stop() {
        await infra.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    if (error instanceof InfraError) throw new Error(error.message);
    throw error;
  }
}

/**
 * One real Kafka and one real Redis for the whole test run, shared by every test file of every
 * project:
 * - KAFKA_BROKERS / REDIS_URL set: those (nothing started for them);
 * - else a Docker engine reachable: Testcontainers;
 * - else a local broker from Apache Kafka's jars and a local redis-server, on free ports;
 * - EXPO_TEST_INFRA=local: the local runner even when Docker answers; EXPO_TEST_INFRA=cluster: the
 *   local runner with three Kafka nodes and a Redis Cluster (for what KAFKA_BROKERS / REDIS_URL do
 *   not name).
 * Local processes are bound to this process (infra/bin/guard.sh), so they end even if the test
 * run is killed.
 *
 * The run also gets an id (`testRunId`; EXPO_TEST_RUN_ID names an earlier run's instead): the
 * services' test helpers record their expos under it, and the suite-invariants project checks them
 * after every other project (see run-record.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = (holder[SHARED] ??= {
    runId: process.env.EXPO_TEST_RUN_ID || `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`,
    infra: startRunInfra(process.env),
    users: 0,
  });
  run.users++;
  const release = async (): Promise<RunInfra | null> => {
    if (--run.users > 0) return null;
    if (holder[SHARED] === run) delete holder[SHARED];
    return run.infra;
  };
  let infra: RunInfra;
  try {
    infra = await run.infra;
  } catch (error) {
    await release().catch(() => null);
    throw error;
  }
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('redisUrl', infra.redisUrl);
  project.provide('infraMode', infra.infraMode);
  project.provide('testRunId', run.runId);
  return async () => {
    await (await release())?.stop();
  };
}
