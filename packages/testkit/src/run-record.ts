import { TOPICS, type TopicId } from '@expo/schemas';
import { expect, inject } from 'vitest';
import { kafkaBrokers, redisUrl } from './context.ts';
import { connectRedis } from './redis.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This test run's id (global setup): the key of what the suites record for the checks after them. */
    testRunId: string;
  }
}

/**
 * An expo a service's suite made in this run, as the service under test was configured: what the
 * suite-invariants project (`services/<name>/test-after/`) needs to check the state the suite
 * left behind against the log (reconcile drift, a fresh fold).
 */
export interface SuiteExpo {
  /** The service under test (its folder name: `badge-scanning`, `analytics`). */
  readonly service: string;
  readonly expoId: string;
  /** The label the test gave its names. */
  readonly label: string;
  /** The test file that made it, relative to the repository. */
  readonly file: string | null;
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  /** The service's topics by platform topic id (`scans` → `t.<label>.<suffix>.scanning.scans.v1`). */
  readonly topics: Readonly<Record<string, string>>;
  /** Configuration the test gave the service beyond the helper's own (figures may depend on it). */
  readonly env: Readonly<Record<string, string>>;
}

/** How long a run's record is kept: long enough to check an earlier run again (EXPO_TEST_RUN_ID). */
const KEEP_SECONDS = 3 * 24 * 3600;

/** This test run's id (EXPO_TEST_RUN_ID, or made up by the global setup). */
export function testRunId(): string {
  return inject('testRunId');
}

/** The Redis hash of a run's expos, on the run's shared Redis. */
export function runExposKey(runId: string): string {
  return `testkit:run:${runId}:expos`;
}

function testFile(): string | null {
  const path = expect.getState().testPath;
  if (!path) return null;
  const at = path.search(/\/(services|packages|infra)\//);
  return at < 0 ? path : path.slice(at + 1);
}

/**
 * Notes an expo in this run's record (a hash on the shared Redis, kept three days): a service's
 * test helper calls it for every instance it builds. The first record of an expo in a given Redis
 * and Kafka wins (a second instance of it shares its state).
 */
export async function recordSuiteExpo(
  expo: Omit<SuiteExpo, 'file' | 'topics'> & { readonly topics: { readonly [id in TopicId]?: { readonly name: string } } },
): Promise<void> {
  const topics = Object.fromEntries(Object.entries(expo.topics).map(([id, topic]) => [id, topic.name]));
  const redis = connectRedis();
  try {
    const key = runExposKey(testRunId());
    const field = [expo.service, expo.expoId, expo.redisUrl, expo.kafkaBrokers].join('|');
    const record: SuiteExpo = { ...expo, topics, file: testFile() };
    await redis.multi().hsetnx(key, field, JSON.stringify(record)).expire(key, KEEP_SECONDS).exec();
  } finally {
    redis.disconnect();
  }
}

/** Every expo of a service recorded in a run (this one by default), in the order of their ids. */
export async function suiteExpos(service: string, runId = testRunId()): Promise<SuiteExpo[]> {
  const redis = connectRedis();
  try {
    const all = Object.values(await redis.hgetall(runExposKey(runId))).map((json) => JSON.parse(json) as SuiteExpo);
    return all.filter((e) => e.service === service).sort((a, b) => a.expoId.localeCompare(b.expoId));
  } finally {
    redis.disconnect();
  }
}

/**
 * Why an expo's state cannot be checked against its log after the suite, or null if it can: an
 * expo on a dedicated Redis or Kafka of its test is gone with them.
 */
export function notOnSharedInfra(expo: SuiteExpo): string | null {
  if (expo.redisUrl !== redisUrl()) return `its test used a Redis of its own (${expo.redisUrl})`;
  if (expo.kafkaBrokers !== kafkaBrokers()) return `its test used a Kafka of its own (${expo.kafkaBrokers})`;
  return null;
}

/** The recorded expo's copies of platform topics (contracts and all), keyed like TOPICS. */
export function recordedTopics<const Ids extends readonly TopicId[]>(expo: SuiteExpo, ids: Ids): { [K in Ids[number]]: (typeof TOPICS)[K] & { name: string } } {
  return Object.fromEntries(
    ids.map((id) => {
      const name = expo.topics[id];
      if (!name) throw new Error(`${expo.expoId}: no ${id} topic recorded (${Object.keys(expo.topics).join(', ')})`);
      return [id, { ...TOPICS[id], name }];
    }),
  ) as { [K in Ids[number]]: (typeof TOPICS)[K] & { name: string } };
}
