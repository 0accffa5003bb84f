import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, metricValue, startBalancer, waitForReady, type RunningBalancer } from '../src/index.ts';

// The balancer of `pnpm dev --replicas N` and the chaos suite's cluster profile, with three
// instances that answer their own name (the services' own behaviour behind it is the chaos suite's).
const fixture = join(import.meta.dirname, 'fixtures', 'instance-server.ts');
const CHECK_MS = 500;

function startInstance(name: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', fixture], { env: { ...process.env, PORT: String(port), INSTANCE_ID: name }, stdio: 'ignore' });
}

async function ask(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/who`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) return `status ${response.status}`;
  return response.text();
}

describe('HAProxy in front of several instances', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expo-balancer-'));
  const instances: ChildProcess[] = [];
  let ports: number[] = [];
  let front = 0;
  let stats = 0;
  let balancer: RunningBalancer;

  beforeAll(async () => {
    for (let i = 0; i < 5; i += 1) ports.push(await freePort(ports));
    [front, stats] = ports.slice(3) as [number, number];
    ports = ports.slice(0, 3);
    ports.forEach((port, i) => instances.push(startInstance(`scanning-${i + 1}`, port)));
    for (const port of ports) expect(await waitForReady(port, 20_000)).toBe(true);
    balancer = await startBalancer({
      services: [{ name: 'badge-scanning', frontPort: front, instancePorts: ports }],
      statsPort: stats,
      checkIntervalMs: CHECK_MS,
      dataDir: dir,
      ownerPid: process.pid,
    });
  }, 60_000);

  afterAll(async () => {
    await balancer?.stop();
    for (const child of instances) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('spreads requests over every instance on the one front port', async () => {
    const answers = new Set<string>();
    for (let i = 0; i < 12; i += 1) answers.add(await ask(front));
    expect([...answers].sort()).toEqual(['scanning-1', 'scanning-2', 'scanning-3']);
  });

  it('sends a request an instance dropped unanswered to another only where a repeat cannot act twice', async () => {
    const dropped = async () => {
      const counts = await Promise.all(ports.map(async (port) => Number(await (await fetch(`http://127.0.0.1:${port}/dropped`)).text())));
      return counts.reduce((a, b) => a + b, 0);
    };
    // The client sees the balancer's 502, or (on a kept-alive connection) the connection closed as
    // the instance closed it: either way no answer, which it may retry knowing it.
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${front}${path}`, {
        method: 'POST',
        headers: { 'x-drop': '1', 'content-type': 'application/json', ...headers },
        body: '{}',
      }).then(
        (r) => (r.status === 502 ? 'no answer' : `status ${r.status}`),
        () => 'no answer',
      );
    // A new device is not idempotent: taken once.
    expect(await post('/v1/devices')).toBe('no answer');
    expect(await dropped()).toBe(1);
    // A registration without an Idempotency-Key neither.
    expect(await post('/v1/attendees')).toBe('no answer');
    expect(await dropped()).toBe(2);
    // A scan (its scanId makes a repeat a replay) and a keyed registration are tried on the others.
    expect(await post('/v1/scans')).toBe('no answer');
    expect(await dropped()).toBe(5);
    expect(await post('/v1/attendees', { 'idempotency-key': 'k-1' })).toBe('no answer');
    expect(await dropped()).toBe(8);
  });

  it('takes an instance whose /readyz says 503 out of the pool within two checks', async () => {
    await fetch(`http://127.0.0.1:${ports[2]}/not-ready`);
    await new Promise((r) => setTimeout(r, 3 * CHECK_MS + 500));
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(front)));
    expect(new Set(answers)).toEqual(new Set(['scanning-1', 'scanning-2']));
  });

  it('answers every request while an instance is killed (kill -9), and counts it down in its metrics', async () => {
    const answers: string[] = [];
    const asking = (async () => {
      for (let i = 0; i < 200; i += 1) answers.push(await ask(front).catch((e: unknown) => `error ${String(e)} ${String((e as Error).cause)}`));
    })();
    await new Promise((r) => setTimeout(r, 50));
    instances[0]!.kill('SIGKILL');
    await asking;
    // A connection refused by the dead instance is sent to another instance (redispatch): no client sees it.
    expect(answers.filter((a) => a !== 'scanning-1' && a !== 'scanning-2')).toEqual([]);
    expect(answers.slice(-20)).toEqual(Array(20).fill('scanning-2'));
    await new Promise((r) => setTimeout(r, 2 * CHECK_MS));
    const metrics = await (await fetch(`http://127.0.0.1:${stats}/metrics`)).text();
    const up = [...metrics.matchAll(/^haproxy_backend_active_servers\{proxy="badge-scanning"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(up).toEqual([1]);
    expect(metricValue(metrics, 'haproxy_process_start_time_seconds')).toBeGreaterThan(0);
  }, 60_000);
});
