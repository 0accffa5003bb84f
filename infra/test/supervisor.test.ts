import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPortFree, freePort } from '../src/ports.ts';
import { guardedChildPid, isAlive } from '../src/process.ts';
import { waitForReady, type ServicePackage } from '../src/services.ts';
import { stopSupervised, superviseServices, type SupervisedService, type SupervisorOptions } from '../src/supervisor.ts';

// `pnpm dev`'s way of running services, with a stand-in service (answers /readyz at once) so the
// test is about the supervision: the real services start the same way (startServices).
const fixtures = join(import.meta.dirname, 'fixtures');
const standIn: ServicePackage = { name: 'badge-scanning', dir: fixtures, start: 'node --import tsx instance-server.ts' };
const failsAtStart: ServicePackage = { name: 'analytics', dir: fixtures, start: 'node --import tsx exit-early.ts' };

let running: SupervisedService[] = [];
afterEach(async () => {
  await stopSupervised(running);
  running = [];
});

async function supervise(service: ServicePackage, options: Omit<SupervisorOptions, 'log'> = {}) {
  const port = await freePort();
  const lines: string[] = [];
  running = superviseServices(
    [service],
    process.env,
    mkdtempSync(join(tmpdir(), 'supervisor-')),
    { log: (l) => lines.push(l), ...options },
    { [service.name]: port },
  );
  return { supervised: running[0]!, port, lines };
}

describe('a supervised service (pnpm dev)', () => {
  it('killed with kill -9 is started again, says so, and is ready again', async () => {
    const { supervised, port, lines } = await supervise(standIn);
    expect(await waitForReady(port, 60_000)).toBe(true);
    const killed = guardedChildPid(supervised.pid!, 'node');
    expect(killed).not.toBeNull();
    process.kill(killed!, 'SIGKILL');

    await expect.poll(() => lines, { timeout: 30_000 }).toEqual(['badge-scanning exited (code 137), restarting in 1s']);
    expect(await waitForReady(port, 60_000)).toBe(true);
    expect(supervised.restarts).toBe(1);
    expect(guardedChildPid(supervised.pid!, 'node')).not.toBe(killed);
  });

  it('that keeps failing at start waits longer before each new start', async () => {
    const { lines } = await supervise(failsAtStart);
    await expect.poll(() => lines.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    expect(lines.slice(0, 2)).toEqual(['analytics exited (code 3), restarting in 1s', 'analytics exited (code 3), restarting in 2s']);
  });

  it('is not started again once Ctrl-C was pressed, and stop leaves nothing behind', async () => {
    const ctrlC = new AbortController();
    const { supervised, port, lines } = await supervise(standIn, { signal: ctrlC.signal });
    expect(await waitForReady(port, 60_000)).toBe(true);
    const guard = supervised.pid!;
    const node = guardedChildPid(guard, 'node')!;
    ctrlC.abort();
    // The terminal's SIGINT reaches the service too: it ends, and nothing takes its place.
    process.kill(node, 'SIGINT');
    await expect.poll(() => supervised.pid, { timeout: 30_000 }).toBeNull();
    expect(lines).toEqual([]);
    await supervised.stop();
    expect(isAlive(guard)).toBe(false);
    expect(isAlive(node)).toBe(false);
    expect(await isPortFree(port)).toBe(true);
  });
});
