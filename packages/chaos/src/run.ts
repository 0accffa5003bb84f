import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@expo/bus';
import { venueToday } from '@expo/infra';
import { DEMO_SIZE, seedExpo, simulate, type SimulationResult } from '@expo/simulator';
import { checkAnalyticsAgainstFresh } from './checkers/analytics-fresh.ts';
import type { CheckResult } from './checkers/check-result.ts';
import { checkCapacity } from './checkers/capacity.ts';
import { checkDeadLetters } from './checkers/dead-letters.ts';
import { checkGroundTruth } from './checkers/ground-truth.ts';
import { checkJsonSchemas } from './checkers/json-schemas.ts';
import { checkMeetings } from './checkers/meetings.ts';
import { checkReconcile } from './checkers/reconcile-drift.ts';
import { checkRegistrations } from './checkers/registrations.ts';
import { checkScansOnce } from './checkers/scans-once.ts';
import type { FaultContext } from './faults/fault.ts';
import { Journal } from './journal.ts';
import { ChaosPlatform } from './platform/chaos-platform.ts';
import { chaosProfile } from './profiles.ts';
import { faultFigures, type ChaosReport, type FaultWindow } from './report.ts';
import { chaosTransport } from './workload/chaos-transport.ts';
import { runRegistrar } from './workload/registrar.ts';
import { ScannerClocks } from './workload/scanner-clocks.ts';
import { writePoison } from './workload/poison.ts';

export interface ChaosOptions {
  readonly profile: string;
  readonly seed: number;
  /** Working folder: the platform's data and logs. */
  readonly dir: string;
  readonly log: (line: string) => void;
  /** Only these fault kinds of the profile (to chase one fault); default all. */
  readonly only?: readonly string[];
}

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RECOVERY_TIMEOUT_MS = 180_000;

/**
 * One chaos run: the platform with several instances of every service (on clusters, behind
 * HAProxy, for the cluster profile), a seeded expo, the simulator's workload and a stream of
 * registrations, the profile's faults one after another under that load, then the checkers
 * against the log, Redis and a fresh analytics fold.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const profile = chaosProfile(options.profile, options.seed, options.only);
  const started = Date.now();
  const firstDay = venueToday();
  const lastDay = new Date(Date.parse(`${firstDay}T00:00:00Z`) + 2 * DAY_MS).toISOString().slice(0, 10);
  // A broker on an earlier run's data would hold another expo's records: every run starts empty.
  if (existsSync(options.dir) && readdirSync(options.dir).length > 0) throw new Error(`${options.dir} is not empty: a chaos run starts from nothing`);
  mkdirSync(options.dir, { recursive: true });
  const shape = profile.cluster
    ? `3 Kafka nodes, a Redis Cluster, HAProxy and ${profile.instancesPerService} instances of each service`
    : `${profile.instancesPerService} instances of each service`;
  options.log(`starting the platform (${shape}) in ${options.dir}`);
  const platform = await ChaosPlatform.start({
    dir: options.dir,
    firstDay,
    lastDay,
    log: options.log,
    cluster: profile.cluster,
    instancesPerService: profile.instancesPerService,
  });
  const windows: FaultWindow[] = [];
  const journal = new Journal();
  let simulation = null as SimulationResult | null;
  let workloadError = null as string | null;
  const checks: CheckResult[] = [];
  try {
    const first = (urls: readonly string[]) => urls[0]!;
    // The workload talks to the balancer when one runs; the checkers ask each instance.
    const a = platform.clientAddresses;
    const endpoints = {
      registration: first(a.registration),
      scanning: first(a.scanning),
      matchmaking: first(a.matchmaking),
      analytics: first(a.analytics),
      adminToken: platform.adminToken,
    };
    options.log(`seeding the demo expo ${platform.expoId}`);
    const seeded = await seedExpo({
      endpoints,
      seed: options.seed,
      size: DEMO_SIZE,
      stateDir: join(options.dir, 'simulator'),
      openingDay: firstDay,
      concurrency: 4,
    });

    const clocks = new ScannerClocks();
    const stopWorkload = new AbortController();
    const transport = chaosTransport(a, platform.adminToken, journal);
    const workload = simulate({
      transport,
      state: seeded.state,
      plan: seeded.plan,
      seed: options.seed,
      rate: profile.rate,
      concurrency: profile.concurrency,
      signal: stopWorkload.signal,
      clock: clocks,
      behaviour: { offlineShare: profile.offlineShare, outageMinutes: profile.outageMinutes },
    }).then(
      (result) => void (simulation = result),
      (error: unknown) => void (workloadError = error instanceof Error ? error.message : String(error)),
    );
    const registrar = runRegistrar({
      urls: a.registration,
      journal,
      signal: stopWorkload.signal,
      rate: profile.registrationRate,
      duplicateEvery: profile.duplicateEvery,
    });

    const ctx: FaultContext = { platform, clocks, log: options.log };
    // The admin: the poison record goes where no service may write, the checkers read every topic.
    const kafka = createKafka({ ...platform.kafkaAdmin, clientId: 'chaos-workload' });
    await writePoison(kafka, '', journal);
    await sleep(profile.gapMs);
    const loadStarted = Date.now();
    let rounds = 0;
    for (const faults of profile.rounds()) {
      rounds++;
      for (const [n, fault] of faults.entries()) {
        if (workloadError) break;
        const injectedAtMs = Date.now();
        const detail = await fault.inject(ctx);
        options.log(`round ${rounds}, fault ${n + 1}/${faults.length} ${fault.kind}: ${detail}`);
        await sleep(fault.holdMs);
        await fault.heal(ctx);
        const healedAtMs = Date.now();
        let recoveredAtMs: number | null = null;
        try {
          await platform.waitAllReady(RECOVERY_TIMEOUT_MS);
          recoveredAtMs = Date.now();
        } catch (error) {
          options.log(`  not whole again: ${(error as Error).message}`);
        }
        windows.push({ kind: fault.kind, detail, injectedAtMs, healedAtMs, recoveredAtMs });
        options.log(`  healed; platform whole again after ${recoveredAtMs === null ? 'never' : `${((recoveredAtMs - healedAtMs) / 1000).toFixed(1)} s`}`);
        await sleep(profile.gapMs);
      }
      const { until } = profile;
      const loadMs = Date.now() - loadStarted;
      options.log(`round ${rounds} done: ${Math.round(loadMs / 1000)} s of load, ${journal.scans.length} scans`);
      if (workloadError || rounds >= profile.maxRounds) break;
      if (rounds >= until.rounds && loadMs >= until.loadMs && journal.scans.length >= until.scans) break;
    }
    stopWorkload.abort();
    await Promise.all([workload, registrar]);
    options.log(
      `workload stopped: ${journal.scans.length} scans, ${journal.registrations.length} registrations, ${journal.meetings.length} meeting requests and answers${workloadError ? `; it failed: ${workloadError}` : ''}`,
    );

    // For a post-mortem of a failed check: what the workload was told and what the simulator knows.
    writeFileSync(join(options.dir, 'journal.json'), JSON.stringify(journal));
    if (simulation) writeFileSync(join(options.dir, 'truth.json'), JSON.stringify(simulation.truth));
    await platform.waitAllReady(RECOVERY_TIMEOUT_MS);
    const target = { kafka, topicPrefix: '', expoId: platform.expoId, journal };
    const run = async (name: string, check: () => Promise<CheckResult>) => {
      try {
        const result = await check();
        options.log(
          `check ${result.name}: ${result.ok ? 'ok' : 'FAILED'} (${result.checked} checked${result.problems.length ? `; ${result.problems.slice(0, 3).join('; ')}` : ''})`,
        );
        checks.push(result);
      } catch (error) {
        options.log(`check ${name}: could not run: ${(error as Error).stack ?? String(error)}`);
        checks.push({ name, ok: false, checked: 0, counts: {}, problems: [`could not run: ${(error as Error).message}`] });
      }
    };
    await run('answers-resume', async () => {
      const figures = faultFigures(windows, journal);
      const bounded = figures.filter((f) => profile.silenceBoundsSeconds[f.kind] !== undefined);
      const late = bounded.filter((f) => f.longestSilenceSeconds > profile.silenceBoundsSeconds[f.kind]!);
      return {
        name: 'answers-resume',
        ok: late.length === 0,
        checked: bounded.length,
        counts: { late: late.length },
        problems: late.map(
          (f) => `${f.kind} (${f.detail}): no scan answered for ${f.longestSilenceSeconds} s, more than ${profile.silenceBoundsSeconds[f.kind]} s`,
        ),
      };
    });
    await run('processes', async () => {
      const exits = platform.allInstances.flatMap((i) => i.unexpectedExits);
      return {
        name: 'processes',
        ok: exits.length === 0,
        checked: platform.allInstances.length,
        counts: { unexpectedExits: exits.length },
        problems: exits.slice(0, 20),
      };
    });
    await run('workload', async () => ({
      name: 'workload',
      ok: workloadError === null,
      checked: journal.scans.length,
      counts: {},
      problems: workloadError ? [workloadError] : [],
    }));
    if (simulation) {
      const truth = simulation.truth;
      await run('ground-truth', () =>
        checkGroundTruth({
          truth,
          zoneIds: seeded.state.zones,
          scanningUrls: platform.addresses.scanning,
          token: platform.adminToken,
          concurrent: profile.concurrency > 1,
        }),
      );
    }
    await run('scans-once', () => checkScansOnce(target));
    await run('capacity', () => checkCapacity(target));
    await run('reconcile', () => checkReconcile({ env: platform.serviceEnv('badge-scanning') }));
    await run('registrations', () => checkRegistrations(target));
    await run('meetings', () => checkMeetings(target));
    await run('json-schemas', () => checkJsonSchemas(target));
    await run('dead-letters', () => checkDeadLetters(target));
    await run('analytics-fresh', () =>
      checkAnalyticsAgainstFresh({
        platform,
        dir: join(options.dir, 'fresh-analytics'),
        days: [firstDay, lastDay],
        zoneIds: seeded.state.zones,
        log: options.log,
      }),
    );
  } finally {
    await platform.stop();
  }
  return {
    profile: profile.name,
    seed: options.seed,
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ok: checks.every((c) => c.ok) && workloadError === null && windows.every((w) => w.recoveredAtMs !== null),
    faults: faultFigures(windows, journal),
    scans: journal.scans.length,
    registrations: journal.registrations.length,
    meetings: journal.meetings.length,
    checks,
  };
}
