import { describe, expect, it } from 'vitest';
import { kafkaBrokers, notOnSharedInfra, recordedTopics, recordSuiteExpo, redisUrl, suiteExpos, testNames, testRunId } from '../src/index.ts';

describe('the run record', () => {
  it('lists an expo a suite recorded in this run, with its test file and topics, for the checks after the suites', async () => {
    const names = testNames('run-record');
    const service = `testkit-selftest-${names.suffix}`;
    const scans = { name: names.topic('scanning.scans.v1') };
    await recordSuiteExpo({
      service,
      expoId: names.expoId,
      label: 'run-record',
      kafkaBrokers: kafkaBrokers(),
      redisUrl: redisUrl(),
      topics: { scans },
      env: { LATE_GRACE_MS: '1000' },
    });
    // A second instance of the same expo adds nothing; one on another Redis is another expo.
    await recordSuiteExpo({ service, expoId: names.expoId, label: 'again', kafkaBrokers: kafkaBrokers(), redisUrl: redisUrl(), topics: { scans }, env: {} });
    await recordSuiteExpo({
      service,
      expoId: names.expoId,
      label: 'own-redis',
      kafkaBrokers: kafkaBrokers(),
      redisUrl: 'redis://127.0.0.1:1',
      topics: { scans },
      env: {},
    });

    const recorded = await suiteExpos(service, testRunId());
    expect(recorded.map((e) => [e.label, notOnSharedInfra(e)]).sort()).toEqual([
      ['own-redis', 'its test used a Redis of its own (redis://127.0.0.1:1)'],
      ['run-record', null],
    ]);
    const mine = recorded.find((e) => e.label === 'run-record')!;
    expect(mine).toMatchObject({ file: 'packages/testkit/test/run-record.test.ts', env: { LATE_GRACE_MS: '1000' } });
    expect(recordedTopics(mine, ['scans']).scans).toMatchObject({ name: scans.name, key: 'badgeId', cleanup: 'delete' });
    expect(await suiteExpos(service, 'another-run')).toEqual([]);
  });
});
