// `pnpm chaos [--profile short|long|cluster] [--seed N] [--faults kind,kind] [--dir DIR] [--report FILE]`: the platform under faults, then its checkers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reportMarkdown } from './report.ts';
import { runChaos } from './run.ts';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'short' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    report: { type: 'string' },
    faults: { type: 'string' },
  },
});
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed takes an integer, not ${values.seed}`);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'expo-chaos-'));
const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);

const only = values.faults
  ?.split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const report = await runChaos({ profile: values.profile, seed, dir, log, ...(only ? { only } : {}) });
const file = values.report ?? join(dir, `chaos-${report.profile}-${report.seed}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${reportMarkdown(report)}\n\nreport: ${file}`);
process.exitCode = report.ok ? 0 : 1;
