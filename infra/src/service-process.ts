import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.ts';
import { serviceNodeFlags, waitForReady } from './services.ts';

/** A service's folder (`services/<name>`): benchmarks run its scripts from there and write their results below it. */
export function serviceDir(name: string): string {
  return join(REPO_DIR, 'services', name);
}

export interface ServiceStart {
  /** The script to run under tsx, from the service's folder; `src/server.ts` by default. */
  readonly script?: string;
  /** Writes a CPU profile into BENCH_PROFILE, when that is set. */
  readonly profile?: boolean;
}

/**
 * Starts a script of the service in `dir` under tsx with its output on this terminal.
 * `src/server.ts` runs with the service's Node flags (its node-flags file, as its `start` and `dev`
 * scripts), or with BENCH_NODE_FLAGS instead when that is set (experiments with other flags); any
 * other script runs without flags.
 */
export function startService(dir: string, env: NodeJS.ProcessEnv, options: ServiceStart = {}): ChildProcess {
  const script = options.script ?? 'src/server.ts';
  const flags = script === 'src/server.ts' ? (process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? serviceNodeFlags(dir)) : [];
  const profileDir = process.env.BENCH_PROFILE;
  const prof = options.profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(process.execPath, [...flags, ...prof, '--import', 'tsx', script], { cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Resolves once the service on `port` answers /readyz with 200. Throws after `timeoutMs`, or as
 * soon as `child` exits (a service that failed to start is not waited for until the timeout).
 */
export async function waitReady(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const exited = new AbortController();
  const onExit = () => exited.abort();
  if (child && hasExited(child)) exited.abort();
  child?.once('exit', onExit);
  try {
    if (await waitForReady(port, timeoutMs, exited.signal)) return;
  } finally {
    child?.off('exit', onExit);
  }
  if (child && hasExited(child)) throw new Error(`the service on ${port} exited (code ${child.exitCode ?? child.signalCode}) before it was ready`);
  throw new Error(`not ready on ${port} within ${timeoutMs} ms`);
}

/** SIGTERM, then waits for the process to exit (at once when it has already). */
export async function stopService(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The process's peak resident set (VmHWM, Linux) in MB. */
export function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** The value of the first sample of a metric in Prometheus text (with or without labels); NaN when absent. */
export function metricValue(metrics: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([-+\\d.eE]+|NaN)$`, 'm').exec(metrics);
  return match ? Number(match[1]) : NaN;
}
