import { spawnSync } from 'node:child_process';

/** PIDs of processes whose command line mentions `needle` (e.g. a test's data folder). */
export function pidsMatching(needle: string): number[] {
  const out = spawnSync('pgrep', ['-f', needle], { encoding: 'utf8' }).stdout.trim();
  return out ? out.split('\n').map(Number) : [];
}
