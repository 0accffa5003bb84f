import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DedicatedRedis, waitForReadiness } from '@expo/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceApp } from '../src/index.ts';
import { balance, credit, ledgerApp as ledgerOn, newLedger, seed, type Ledger, type TIMING } from './fixtures/ledger.ts';

let redis: DedicatedRedis;
let client: Redis;
const apps: ServiceApp[] = [];
beforeAll(async () => {
  redis = await DedicatedRedis.start();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
}, 60_000);
afterEach(async () => void (await Promise.all(apps.splice(0).map((a) => a.close()))));
afterAll(async () => {
  client.disconnect();
  await redis.close();
});
const ledgerApp = (ledger: Ledger, timing: Partial<typeof TIMING> = {}) => ledgerOn(ledger, { redisUrl: redis.url, client, apps }, timing);

/** Waits until an instance has started the rebuild `ledger.hangNext` holds; answers which one. */
const rebuildHung = (ledger: Ledger) =>
  vi.waitFor(
    () => {
      if (!ledger.hungIn) throw new Error('no instance started the rebuild within 10 s');
      return ledger.hungIn;
    },
    { timeout: 10_000, interval: 20 },
  );

describe('state lifecycle', () => {
  it('FLUSHALL: fenced with 503 (never zeros) within 5 s, rebuilt once by one of two instances, then equal to before', async () => {
    const ledger = newLedger('lifecycle-flush');
    const [one, two] = [await ledgerApp(ledger), await ledgerApp(ledger)];
    await seed(one);
    const rebuildsBefore = ledger.rebuilds;

    await client.flushall();
    // In the moment before any probe ran: a read is refused, not answered with a zero, and a
    // guarded write is refused, not applied to the emptied Redis.
    expect((await one.inject('/v1/balances/a')).statusCode).toBe(503);
    expect((await credit(two, 'a', 1)).statusCode).toBe(503);
    const fencedAfter = await waitForReadiness(one, 503);
    expect(fencedAfter).toBeLessThan(5000);
    const answer = await one.inject('/v1/balances/a');
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBeDefined();
    expect(answer.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
    expect((await one.inject('/v1/ping')).statusCode).toBe(200);
    expect((await one.inject('/healthz')).statusCode).toBe(200);

    await waitForReadiness(one, 200);
    await waitForReadiness(two, 200);
    expect(ledger.rebuilds - rebuildsBefore).toBe(1);
    for (const app of [one, two]) expect([await balance(app, 'a'), await balance(app, 'b')]).toEqual([17, 5]);
    const metrics = (await one.inject('/metrics')).body + (await two.inject('/metrics')).body;
    expect(metrics.match(/^state_whole\{[^}]*\} 1$/gm)).toHaveLength(2);
    expect(metrics).toMatch(/^state_losses_total\{loss="missing"[^}]*\} 1$/m);
    expect(metrics.match(/^service_ready\{[^}]*\} 1$/gm)).toHaveLength(2);
    expect(metrics.match(/^state_rebuild_running\{[^}]*\} 0$/gm)).toHaveLength(2);
  }, 60_000);

  it('answers /readyz 503 at once after a flush, before any probe ran, as its routes do', async () => {
    const ledger = newLedger('lifecycle-readyz-now');
    // Probes 3 s apart: the flush comes right after one, so only the requests can notice it.
    const app = await ledgerApp(ledger, { checkIntervalMs: 3000 });
    await seed(app);
    await client.flushall();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json<{ checks: Array<{ name: string; status: string }> }>().checks.find((c) => c.name === 'ledger-state')).toMatchObject({ status: 'failed' });
    expect((await app.inject('/v1/balances/a')).statusCode).toBe(503);
  }, 30_000);

  it('says why it is not ready on /readyz while fenced', async () => {
    const ledger = newLedger('lifecycle-readyz');
    const app = await ledgerApp(ledger);
    ledger.hangNext = true;
    await client.del(ledger.keys.marker);
    await waitForReadiness(app, 503);
    const report = (await app.inject('/readyz')).json<{ checks: Array<{ name: string; status: string; detail?: string }> }>();
    expect(report.checks.find((c) => c.name === 'ledger-state')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/rebuild|marker/) });
    await rebuildHung(ledger);
    // The scrape says the same as /readyz, and that this instance is the one rebuilding.
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^service_ready\{[^}]*\} 0$/m);
    expect(metrics).toMatch(/^state_rebuild_running\{[^}]*\} 1$/m);
  }, 30_000);

  it('a Redis restarted empty on the same port: fenced, rebuilt, served as before', async () => {
    const ledger = newLedger('lifecycle-restart');
    const app = await ledgerApp(ledger);
    await seed(app);
    await redis.restart();
    await waitForReadiness(app, 503);
    await waitForReadiness(app, 200);
    expect([await balance(app, 'a'), await balance(app, 'b')]).toEqual([17, 5]);
  }, 60_000);

  it('a Redis restarted from an older copy (writes after the copy missing) is detected as stale and rebuilt from the log', async () => {
    const ledger = newLedger('lifecycle-stale');
    const app = await ledgerApp(ledger);
    await seed(app);
    await client.save();
    expect((await credit(app, 'b', 100)).statusCode).toBe(200);
    await redis.restart();
    await waitForReadiness(app, 503);
    await waitForReadiness(app, 200);
    expect([await balance(app, 'a'), await balance(app, 'b')]).toEqual([17, 105]);
    // The copy held a marker, but one written in another Redis process: not trusted.
    expect((await app.inject('/metrics')).body).toMatch(/^state_losses_total\{loss="other-redis"[^}]*\} 1$/m);
    rmSync(join(redis.dir, 'dump.rdb'), { force: true });
  }, 60_000);

  it('a rebuilder that dies mid-rebuild: the other instance takes over once the lease expires and finishes', async () => {
    const ledger = newLedger('lifecycle-takeover');
    const [one, two] = [await ledgerApp(ledger), await ledgerApp(ledger)];
    await seed(one);
    ledger.hangNext = true;
    await client.del(ledger.keys.marker);
    const { app: holder, run } = await rebuildHung(ledger);
    const survivor = holder === one ? two : one;
    // While one instance rebuilds, another's scripts are refused: only the lease holder writes.
    await expect(survivor.redisScripts.run('credit', [ledger.key], ['a', 1])).rejects.toThrow(/STATELOST/);
    // As if the process were killed: no renewals, no writes from it any more.
    holder.redis.disconnect();
    run.redis.disconnect();
    await waitForReadiness(survivor, 503);
    await waitForReadiness(survivor, 200);
    expect(await balance(survivor, 'a')).toBe(17);
    expect(ledger.rebuilds).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("a Redis that stalls the rebuild's writes for longer than a request may wait: the rebuild waits and finishes, not fails and starts over", async () => {
    const ledger = newLedger('lifecycle-stall');
    const app = await ledgerApp(ledger, { leaseMs: 5000 });
    await seed(app);
    ledger.rebuilds = 0;
    ledger.pauseNextMs = 1500; // the request path's commands give up after 1 s
    await client.del(ledger.keys.marker);
    await waitForReadiness(app, 503);
    await waitForReadiness(app, 200);
    expect(await balance(app, 'a')).toBe(17);
    expect(ledger.rebuilds).toBe(1);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).not.toMatch(/outcome="failed"/);
  }, 60_000);
});
