import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/ports.ts';
import { metricValue, peakRssMb, serviceDir, startScriptFlags, startService, stopService, waitReady } from '../src/service-process.ts';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

function serviceWithStart(start: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'service-process-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
  return dir;
}

describe('the start script', () => {
  it('gives its Node flags, none when it has none', () => {
    expect(startScriptFlags(serviceWithStart('node --max-semi-space-size=64 --import tsx src/server.ts'))).toBe('--max-semi-space-size=64');
    expect(startScriptFlags(serviceWithStart('node --import tsx src/server.ts'))).toBe('');
  });

  it('is refused when it does not run src/server.ts under tsx', () => {
    expect(() => startScriptFlags(serviceWithStart('tsx watch src/server.ts'))).toThrow('cannot read the Node flags');
  });

  it('of every service is one a benchmark can run', () => {
    for (const name of ['registration', 'badge-scanning', 'matchmaking', 'analytics']) expect(() => startScriptFlags(serviceDir(name))).not.toThrow();
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
    const text = ['# HELP state_rebuild_records x', 'state_rebuild_records{service="a"} 1860000', 'state_whole 1', 'state_rebuild_duration_seconds{service="a"} 2.5e1'].join('\n');
    expect(metricValue(text, 'state_rebuild_records')).toBe(1_860_000);
    expect(metricValue(text, 'state_whole')).toBe(1);
    expect(metricValue(text, 'state_rebuild_duration_seconds')).toBe(25);
    expect(metricValue(text, 'state_losses_total')).toBeNaN();
  });

  it('reads the peak resident set of a process', () => {
    expect(peakRssMb(process.pid)).toBeGreaterThan(10);
  });
});
