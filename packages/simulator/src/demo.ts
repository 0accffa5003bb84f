import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoints } from './http/endpoints.ts';
import { HttpClient, type ServiceWait } from './http/http-client.ts';
import { progressPrinter, seedLine, simulationLine } from './progress-line.ts';
import { seedExpo } from './seed/seed-expo.ts';
import { STATE_FILE } from './seed/seed-state.ts';
import { DEMO_SIZE } from './seed/sizes.ts';
import { simulate } from './sim/simulate.ts';

export interface DemoOptions {
  readonly endpoints: Endpoints;
  /** The simulator's state (ids, device keys, badge tokens): kept with the platform's data. */
  readonly stateDir: string;
  readonly openingDay: string;
  /** Simulation steps per second: gentle, so the dashboard moves without loading the machine. */
  readonly rate: number;
  readonly signal: AbortSignal;
}

const log = (line: string): void => console.log(`[demo] ${line}`);

/**
 * What `pnpm dev` shows: the demo expo, seeded through the services' public routes when the
 * platform is empty (or the seed was interrupted), then visitors, scanners, exhibitors and buyers
 * at a gentle rate until the signal. A platform that already holds someone else's zones is left
 * alone: the demo never mixes its people into real data.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  try {
    await seedAndSimulate(options);
  } catch (error) {
    // Stopped while waiting for a service: Ctrl-C, not a failure.
    if (!options.signal.aborted) throw error;
  }
}

/**
 * While a service is away (`pnpm dev` restarts one that exited), every request to it waits until
 * it is back, and the terminal says so once each way.
 */
function waitingEndpoints(endpoints: Endpoints, signal: AbortSignal): Endpoints {
  const names = new Map([
    [endpoints.registration, 'registration'],
    [endpoints.scanning, 'badge-scanning'],
    [endpoints.matchmaking, 'matchmaking'],
    [endpoints.analytics, 'analytics'],
  ]);
  const onChange: NonNullable<ServiceWait['onChange']> = ({ baseUrl, away, why }) =>
    log(`${names.get(baseUrl) ?? baseUrl} ${why}${away ? ': waiting until it is back' : ' again'}`);
  return { ...endpoints, wait: { signal, onChange } };
}

async function seedAndSimulate(options: DemoOptions): Promise<void> {
  const endpoints = waitingEndpoints(options.endpoints, options.signal);
  const { stateDir } = options;
  const seededBefore = existsSync(join(stateDir, STATE_FILE));
  if (!seededBefore && (await zoneCount(endpoints)) > 0) {
    log("the platform already holds zones that are not the demo's: no demo expo, no simulator");
    return;
  }
  const print = progressPrinter(process.stdout, 10_000);
  const started = performance.now();
  const seeded = await seedExpo({
    endpoints,
    seed: 1,
    size: DEMO_SIZE,
    stateDir,
    openingDay: options.openingDay,
    onProgress: (phase, done, total) => print(seedLine(phase, done, total)),
  });
  print(
    `demo expo ${seededBefore ? 'checked' : 'loaded'} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${Object.entries(seeded.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
    true,
  );
  if (options.signal.aborted) return;
  log(`simulator: ${options.rate} steps/s until Ctrl-C (state in ${stateDir})`);
  await simulate({
    endpoints,
    state: seeded.state,
    plan: seeded.plan,
    rate: options.rate,
    signal: options.signal,
    onProgress: (p) => print(simulationLine(p)),
  });
  print('simulator stopped', true);
}

async function zoneCount(endpoints: Endpoints): Promise<number> {
  const scanning = new HttpClient(endpoints.scanning, endpoints.adminToken, undefined, endpoints.wait);
  const { body } = await scanning.get<{ zones?: unknown[] }>('/v1/zones');
  return body.zones?.length ?? 0;
}
