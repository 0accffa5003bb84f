import { createServer, type Server } from 'node:http';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/ports.ts';
import { metricValue, peakRssMb, serviceDir, startService, stopService, waitReady } from '../src/service-process.ts';
import { serverNodeArgs, serviceNodeFlags } from '../src/services.ts';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

function serviceWithFlags(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'service-process-'));
  writeFileSync(join(dir, 'node-flags'), text);
  return dir;
}

/** The words a package.json script hands to the shell, expanded as the shell expands them (from `dir`). */
function expandedScript(dir: string, script: string): string[] {
  const run = spawnSync('sh', ['-c', `printf '%s\\n' ${script}`], { cwd: dir, encoding: 'utf8' });
  return run.stdout.split('\n').filter(Boolean);
}

describe('the Node flags of a service', () => {
  it('come from its node-flags file, notes left out; none when it holds only notes', () => {
    expect(serviceNodeFlags(serviceWithFlags('# why\n--max-semi-space-size=64  --no-allocation-site-pretenuring\n'))).toEqual([
      '--max-semi-space-size=64',
      '--no-allocation-site-pretenuring',
    ]);
    expect(serviceNodeFlags(serviceWithFlags('# none yet\n'))).toEqual([]);
  });

  it('are required: a service without a node-flags file is refused', () => {
    expect(() => serviceNodeFlags(mkdtempSync(join(tmpdir(), 'service-process-')))).toThrow('has no node-flags file');
  });

  it("are what every service's start script (compiled) and dev script (source, tsx) run Node with", () => {
    for (const name of ['registration', 'badge-scanning', 'matchmaking', 'analytics']) {
      const dir = serviceDir(name);
      const { scripts } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string; dev: string } };
      expect(expandedScript(dir, scripts.start), name).toEqual(['node', ...serverNodeArgs(dir, 'compiled')]);
      expect(expandedScript(dir, scripts.dev), name).toEqual(['node', ...serverNodeArgs(dir, 'source')]);
    }
    expect(serviceNodeFlags(serviceDir('badge-scanning'))).toContain('--max-semi-space-size=64');
    expect(serverNodeArgs(serviceDir('registration'), 'compiled')).toEqual(['--heap-growing-percent=100', '--conditions=compiled', 'dist/server.js']);
  });
});

describe('a service process', () => {
  it('is waited for until /readyz answers 200', async () => {
    let ready = false;
    const server = createServer((req, res) => res.writeHead(req.url === '/readyz' && ready ? 200 : 503).end());
    servers.push(server);
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    setTimeout(() => (ready = true), 300);
    await expect(waitReady(port, 5000)).resolves.toBeUndefined();
  });

  it('that exits before it is ready fails the wait at once, not at the timeout', async () => {
    const child = startService(fileURLToPath(new URL('./fixtures', import.meta.url)), process.env, { script: 'exit-early.ts' });
    const started = Date.now();
    await expect(waitReady(await freePort(), 60_000, child)).rejects.toThrow('exited (code 3) before it was ready');
    expect(Date.now() - started).toBeLessThan(30_000);
    await stopService(child);
  });
});

describe('figures', () => {
  it('reads a metric with or without labels', () => {
    const text = [
      '# HELP state_rebuild_records x',
      'state_rebuild_records{service="a"} 1860000',
      'state_whole 1',
      'state_rebuild_duration_seconds{service="a"} 2.5e1',
    ].join('\n');
    expect(metricValue(text, 'state_rebuild_records')).toBe(1_860_000);
    expect(metricValue(text, 'state_whole')).toBe(1);
    expect(metricValue(text, 'state_rebuild_duration_seconds')).toBe(25);
    expect(metricValue(text, 'state_losses_total')).toBeNaN();
  });

  it('reads the peak resident set of a process', () => {
    expect(peakRssMb(process.pid)).toBeGreaterThan(10);
  });
});
