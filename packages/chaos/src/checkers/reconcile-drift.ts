import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_DIR } from '@expo/infra';
import type { CheckResult } from './check-result.ts';

/**
 * Occupancy in Redis against the fold of the scan log, by badge-scanning's own `reconcile`
 * command (run as an operator would, with the platform's environment): drift 0, no misplaced badge.
 */
export async function checkReconcile(options: { env: NodeJS.ProcessEnv }): Promise<CheckResult> {
  const dir = join(REPO_DIR, 'services', 'badge-scanning');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/commands/reconcile.ts'], { cwd: dir, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('exit', (code) => resolve({ code, output }));
  });
  const found = /total drift (\d+), misplaced badges (\d+)/.exec(output);
  // console.table rows: │ index │ 'zoneId' │ log │ redis │ drift │
  const drifted = output
    .split('\n')
    .map((line) => line.split('│').map((c) => c.trim()))
    .filter((cells) => cells.length >= 6 && /^-?\d+$/.test(cells[5] ?? '') && cells[5] !== '0')
    .map((cells) => `zone ${cells[2]}: log ${cells[3]}, Redis ${cells[4]}`);
  const drift = found ? Number(found[1]) : -1;
  const misplaced = found ? Number(found[2]) : -1;
  return {
    name: 'reconcile',
    ok: code === 0 && drift === 0 && misplaced === 0,
    checked: Math.max(0, output.split('\n').filter((l) => l.includes('│')).length - 1),
    counts: { drift, misplacedBadges: misplaced },
    problems: code === 0 && found ? [] : [...drifted, `reconcile exited ${code}: ${output.split('\n').at(-2) ?? ''}`],
  };
}
