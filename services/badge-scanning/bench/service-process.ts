import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the service lives: benchmarks run its scripts from there. */
export const SERVICE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/** The process's peak resident set (VmHWM) in MB. */
export function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

export async function waitReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready on ${port} within ${timeoutMs} ms`);
}

/**
 * The Node flags of the service's `start` script (`node <flags> --import tsx src/server.ts`): a
 * larger young generation, since scans allocate many short-lived objects, and no allocation-site
 * pretenuring, which shortened scavenges (see the README). Read from package.json so the benchmark
 * measures what `start` runs.
 */
function startScriptFlags(): string {
  const { scripts } = JSON.parse(readFileSync(join(SERVICE_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const flags = /^node (.*?)\s*--import tsx src\/server\.ts$/.exec(scripts.start)?.[1];
  if (flags === undefined) throw new Error(`cannot read the Node flags of the start script: ${scripts.start}`);
  return flags;
}

export function start(script: string, env: NodeJS.ProcessEnv, profile = false): ChildProcess {
  const prof = profile && process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const flags = script === 'src/server.ts' ? (process.env.BENCH_NODE_FLAGS ?? startScriptFlags()).split(' ').filter(Boolean) : [];
  return spawn(process.execPath, [...flags, ...prof, '--import', 'tsx', script], { cwd: SERVICE_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

