import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { GUARD_SCRIPT } from './paths.ts';

export interface GuardedProcess {
  /** PID of the guard; stopping it stops the command. */
  readonly pid: number;
  /** Settles when the command has ended, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export interface SpawnOptions {
  /** Where the command's output is appended; absent: it shares this process's terminal. */
  readonly logFile?: string;
  /** The command ends when this process is gone; 0 for none (a detached `infra:up`). */
  readonly ownerPid: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Starts `command` under infra/bin/guard.sh with its output appended to `logFile`. */
export function spawnGuarded(command: string, args: readonly string[], options: SpawnOptions): GuardedProcess {
  const log = options.logFile === undefined ? 'inherit' : openSync(options.logFile, 'a');
  const detached = options.ownerPid === 0;
  const child = spawn('bash', [GUARD_SCRIPT, String(options.ownerPid), command, ...args], {
    stdio: ['ignore', log, log],
    env: options.env ?? process.env,
    cwd: options.cwd,
    detached,
  });
  if (typeof log === 'number') closeSync(log);
  if (detached) child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return { pid: child.pid, exited };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends TERM to a guard (which stops its command) and waits until it is gone. */
export async function stopProcess(pid: number, timeoutMs = 20_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

export function logTail(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log written)';
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

/**
 * The process a guard runs: its child named `name`. A fault signals that process itself (kill -9,
 * SIGSTOP), as a crash or a pause of the real program would look; a signal to the guard would be a
 * clean stop instead.
 */
export function guardedChildPid(guardPid: number, name: string): number | null {
  const found = spawnSync('pgrep', ['-P', String(guardPid), '-x', name], { encoding: 'utf8' });
  const pid = Number(found.stdout.trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}
