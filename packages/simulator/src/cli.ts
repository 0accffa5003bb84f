import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './demo.ts';
import { endpointsFromEnv, type Endpoints } from './http/endpoints.ts';
import { progressPrinter, seedLine, simulationLine } from './progress-line.ts';
import { seedExpo } from './seed/seed-expo.ts';
import { sizeNamed } from './seed/sizes.ts';
import { simulate } from './sim/simulate.ts';

const USAGE = `usage:
  seed     --size demo|ciie --seed N --state DIR [--concurrency N] [--opening-day YYYY-MM-DD] [--skip-matchmaking]
  simulate --state DIR [--rate STEPS_PER_S] [--steps N] [--concurrency N] [--seed N] [--offline-share 0.1] [--unscanned-exit-share 0.25] [--no-sweep]
  demo     --state DIR --opening-day YYYY-MM-DD [--rate 10]   (pnpm dev: seed the demo expo unless done, then simulate until Ctrl-C)
common: --registration URL --scanning URL --matchmaking URL --analytics URL --admin-token TOKEN
        (or REGISTRATION_URL, BADGE_SCANNING_URL, MATCHMAKING_URL, ANALYTICS_URL, ADMIN_TOKEN)`;

const OPTIONS = {
  size: { type: 'string', default: 'demo' },
  seed: { type: 'string' },
  state: { type: 'string', default: '.data/simulator' },
  concurrency: { type: 'string' },
  'opening-day': { type: 'string' },
  'skip-matchmaking': { type: 'boolean', default: false },
  rate: { type: 'string' },
  steps: { type: 'string' },
  'offline-share': { type: 'string' },
  'unscanned-exit-share': { type: 'string' },
  'no-sweep': { type: 'boolean', default: false },
  registration: { type: 'string' },
  scanning: { type: 'string' },
  matchmaking: { type: 'string' },
  analytics: { type: 'string' },
  'admin-token': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const num = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, not ${value}`);
  return n;
};

function endpointsOf(values: Values): Endpoints {
  const env = endpointsFromEnv();
  const endpoints = {
    registration: values.registration ?? env.registration,
    scanning: values.scanning ?? env.scanning,
    matchmaking: values.matchmaking ?? env.matchmaking,
    analytics: values.analytics ?? env.analytics,
    adminToken: values['admin-token'] ?? env.adminToken,
  };
  if (!endpoints.adminToken) throw new Error('an admin token is needed: --admin-token or ADMIN_TOKEN');
  return endpoints;
}

async function seedCommand(values: Values): Promise<void> {
  const print = progressPrinter();
  const started = performance.now();
  const result = await seedExpo({
    endpoints: endpointsOf(values),
    seed: num(values.seed, 'seed') ?? 1,
    size: sizeNamed(values.size),
    stateDir: values.state,
    concurrency: num(values.concurrency, 'concurrency'),
    openingDay: values['opening-day'],
    skipMatchmaking: values['skip-matchmaking'],
    onProgress: (phase, done, total) => print(seedLine(phase, done, total), false),
  });
  print(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`, true);
  console.log(JSON.stringify({ counts: result.counts, seconds: result.seconds, notes: result.notes, state: join(values.state, 'seed-state.json') }, null, 2));
}

async function simulateCommand(values: Values): Promise<void> {
  const print = progressPrinter();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const behaviour = {
    ...(values['offline-share'] !== undefined ? { offlineShare: num(values['offline-share'], 'offline-share')! } : {}),
    ...(values['unscanned-exit-share'] !== undefined ? { unscannedExitShare: num(values['unscanned-exit-share'], 'unscanned-exit-share')! } : {}),
    ...(values['no-sweep'] ? { sweepBetweenDays: false } : {}),
  };
  const result = await simulate({
    endpoints: endpointsOf(values),
    stateDir: values.state,
    seed: num(values.seed, 'seed'),
    rate: num(values.rate, 'rate'),
    steps: num(values.steps, 'steps'),
    concurrency: num(values.concurrency, 'concurrency'),
    signal: controller.signal,
    behaviour,
    sweepAtStart: !values['no-sweep'],
    onProgress: (p) => print(simulationLine(p)),
  });
  print(`stopped by ${result.stoppedBy} after ${result.seconds} s`, true);
  const path = join(values.state, 'ground-truth.json');
  await writeFile(path, JSON.stringify(result.truth, null, 2));
  const { locations: _l, ...summary } = result.truth;
  console.log(JSON.stringify({ ...summary, groundTruthFile: path }, null, 2));
}

async function demoCommand(values: Values): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const openingDay = values['opening-day'];
  if (!openingDay) throw new Error("demo needs --opening-day (the first of the badges' valid days)");
  await runDemo({ endpoints: endpointsOf(values), stateDir: values.state, openingDay, rate: num(values.rate, 'rate') ?? 10, signal: controller.signal });
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const command = positionals[0];
  if (values.help || !command) return void console.log(USAGE);
  if (command === 'seed') return seedCommand(values);
  if (command === 'simulate') return simulateCommand(values);
  if (command === 'demo') return demoCommand(values);
  throw new Error(`unknown command ${command}\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
