import { spawnSync } from 'node:child_process';

/**
 * The process a guard (infra/bin/guard.sh) runs: its child named `name`. A fault signals that
 * process itself (kill -9, SIGSTOP), as a crash or a pause of the real program would look, and
 * the guard then ends or waits as it would for any crash.
 */
export function guardedChildPid(guardPid: number, name: string): number | null {
  const found = spawnSync('pgrep', ['-P', String(guardPid), '-x', name], { encoding: 'utf8' });
  const pid = Number(found.stdout.trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}
