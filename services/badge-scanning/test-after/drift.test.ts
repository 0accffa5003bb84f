import { createKafka } from '@expo/bus';
import { probeState, stateKeys } from '@expo/service-kit';
import { connectRedis, kafkaBrokers, notOnSharedInfra, recordedTopics, suiteExpos, testRunId, type SuiteExpo } from '@expo/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { scanningKeys } from '../src/store/keys.ts';
import type { ScanningTopics } from '../src/usecases/deps.ts';
import { reconcile } from '../src/usecases/reconcile.ts';

// Promise 3 (docs/promises.md) over the whole suite (issue 17, "Done means"): every expo the badge-scanning suite left
// in the shared Redis folds from its scan log, zone by zone and badge by badge, once the suite has
// finished (this is the suite-invariants project: it runs after every other project). Each test
// file's own checks say nothing of what later tests in it did to the same expo.
const runId = testRunId();
const expos = await suiteExpos('badge-scanning');
const checkable = expos.filter((e) => notOnSharedInfra(e) === null);

const redis = connectRedis();
const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'suite-invariants' });
let zonesChecked = 0;
let exposChecked = 0;
afterAll(() => {
  console.log(
    `[suite-invariants] badge-scanning, run ${runId}: ${exposChecked} expo(s) without drift (${zonesChecked} zones) of ${expos.length} recorded, ${checkable.length} on the shared Kafka and Redis`,
  );
  redis.disconnect();
});

/** What is still to be written to the log: the outbox and the sweep chunks Kafka has not acknowledged. */
async function unwritten(expo: SuiteExpo): Promise<string[]> {
  const keys = scanningKeys(expo.expoId);
  const [decisions, badges, sweepChunks] = await Promise.all([
    redis.zcard(keys.unconfirmed()),
    redis.hlen(keys.unconfirmedBadges()),
    redis.hlen(keys.sweepUnconfirmed()),
  ]);
  const left = [];
  if (decisions > 0) left.push(`${decisions} decision(s) or annulment(s) in the outbox ${keys.unconfirmed()} never written to the log`);
  if (badges > 0) left.push(`${badges} badge(s) held in ${keys.unconfirmedBadges()} by a move never written to the log`);
  if (sweepChunks > 0) left.push(`${sweepChunks} closing-sweep chunk(s) in ${keys.sweepUnconfirmed()} never written to the log`);
  return left;
}

describe(`badge-scanning: the state the suite left folds from the scan log (run ${runId})`, () => {
  if (checkable.length === 0) {
    it.skip(
      `no badge-scanning expo on the shared Kafka and Redis was recorded in run ${runId}: run this project with @expo/badge-scanning, or set EXPO_TEST_RUN_ID to an earlier run`,
    );
    return;
  }
  for (const expo of expos.filter((e) => notOnSharedInfra(e) !== null && !checkable.some((c) => c.expoId === e.expoId)))
    it.skip(`${expo.expoId} from ${expo.file}: ${notOnSharedInfra(expo)}`);

  // No instance is left to drain an outbox by now: what it holds is never written, so it counts
  // as drift (the service would write it on its next start, but the suite is over).
  for (const expo of checkable)
    it.concurrent(`${expo.expoId} from ${expo.file}: reconcile drift 0, no misplaced badge, nothing left unwritten`, async (ctx) => {
      const probe = await probeState(redis, stateKeys(expo.expoId, 'scan').marker);
      if (!probe.verdict.whole) return ctx.skip(`state not whole: ${probe.verdict.detail}`);
      const keys = scanningKeys(expo.expoId);
      const topics = recordedTopics(expo, ['attendees', 'exhibitors', 'badges', 'badgeKeys', 'zones', 'scans', 'leads']) as ScanningTopics;
      const [left, report] = await Promise.all([unwritten(expo), reconcile({ redis, keys, kafka, topics, expoId: expo.expoId }, false)]);
      const problems = [
        ...left,
        ...report.zones.filter((z) => z.drift !== 0).map((z) => `zone ${z.zoneId}: Redis ${z.redis}, log ${z.log} (drift ${z.drift > 0 ? '+' : ''}${z.drift})`),
        ...(report.misplacedBadges > 0 ? [`${report.misplacedBadges} badge(s) whose location in Redis differs from the log`] : []),
      ];
      zonesChecked += report.zones.length;
      expect(problems, `expo ${expo.expoId} (${expo.file}) against ${topics.scans.name}`).toEqual([]);
      exposChecked++;
    });
});
