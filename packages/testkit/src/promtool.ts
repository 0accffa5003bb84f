import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL_PATH = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';

export interface PromtoolVerdict {
  /** promtool's exit code: 0 when the exposition parses and passes its lint. */
  readonly exitCode: number;
  /** What promtool said, one line each (a problem names the metric): empty when all is well. */
  readonly problems: readonly string[];
}

/**
 * `promtool check metrics` (Debian's prometheus package) on a `/metrics` body, the way Prometheus
 * itself would judge it: the exposition format, and the naming lint (`_total` on counters, base
 * units, no reserved suffixes on gauges).
 */
export async function promtoolCheckMetrics(exposition: string): Promise<PromtoolVerdict> {
  if (!existsSync(PROMTOOL_PATH)) {
    throw new Error(`No promtool at ${PROMTOOL_PATH}: install Debian's package (apt-get install prometheus) or set PROMTOOL_PATH`);
  }
  const child = spawn(PROMTOOL_PATH, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  child.stdin.end(exposition);
  const exitCode = await exited;
  const problems = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return { exitCode, problems };
}
