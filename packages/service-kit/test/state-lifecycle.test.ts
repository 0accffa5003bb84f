import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DedicatedRedis, testNames, waitForReadiness } from '@expo/testkit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expoKey, redisPlugin, stateKeys, stateLifecyclePlugin, type RebuildRun, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

// A small ledger service stands in for a real one: its log is an array (the lifecycle does not
// care where the log lives), its state a Redis hash of balances written by a guarded script.
const CREDIT = `redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]) return redis.call('HGET', KEYS[1], ARGV[1])`;
const TIMING = { checkIntervalMs: 100, leaseMs: 1500, settleMs: 250 };

interface Ledger {
  readonly log: Array<{ account: string; amount: number }>;
  readonly key: string;
  readonly keys: { marker: string; lease: string };
  rebuilds: number;
  /** Makes the next rebuild hang after its first checkpoint (a rebuilder that died mid-way). */
  hangNext: boolean;
  /** The instance whose rebuild hangs. */
  hungIn?: ServiceApp;
}

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

function newLedger(label: string): Ledger {
  const { expoId } = testNames(label);
  return { log: [], key: expoKey(expoId, 'ledger', 'balances'), keys: stateKeys(expoId, 'ledger'), rebuilds: 0, hangNext: false };
}

async function rebuildLedger(ledger: Ledger, app: ServiceApp, run: RebuildRun): Promise<object> {
  ledger.rebuilds++;
  await app.redis.del(ledger.key);
  if (ledger.hangNext) {
    ledger.hangNext = false;
    await run.checkpoint();
    ledger.hungIn = app;
    await new Promise(() => undefined);
  }
  for (const entry of ledger.log) {
    await run.checkpoint();
    await app.redis.hincrby(ledger.key, entry.account, entry.amount);
    run.folded(1);
  }
  return { entries: ledger.log.length };
}

async function ledgerApp(ledger: Ledger, timing: Partial<typeof TIMING> = {}): Promise<ServiceApp> {
  const { app } = await buildTestApp({ logLevel: 'silent' });
  apps.push(app);
  await app.register(redisPlugin, { url: redis.url, scripts: { credit: CREDIT }, stateGuard: ledger.keys });
  await app.register(stateLifecyclePlugin, { name: 'ledger', keys: ledger.keys, ...TIMING, ...timing, rebuild: (run) => rebuildLedger(ledger, app, run) });
  const params = z.object({ account: z.string() });
  app.get('/v1/ping', { config: { roles: 'public' } }, () => ({ ok: true }));
  await app.register(async (plain) => {
    plain.addHook('onRequest', app.stateLifecycle.fence);
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.get('/v1/balances/:account', { config: { roles: 'public' }, schema: { params } }, async (request) => ({
      balance: Number((await app.redis.hget(ledger.key, request.params.account)) ?? 0),
    }));
    scope.post('/v1/balances/:account', { config: { roles: 'public' }, schema: { params, body: z.object({ amount: z.number().int() }) } }, async (request) => {
      const balance = await app.redisScripts.run<string>('credit', [ledger.key], [request.params.account, request.body.amount]);
      ledger.log.push({ account: request.params.account, amount: request.body.amount });
      return { balance: Number(balance) };
    });
  });
  await app.ready();
  await waitForReadiness(app, 200);
  return app;
}

const credit = (app: ServiceApp, account: string, amount: number) => app.inject({ method: 'POST', url: `/v1/balances/${account}`, payload: { amount } });
const balance = async (app: ServiceApp, account: string) => (await app.inject(`/v1/balances/${account}`)).json<{ balance: number }>().balance;

async function seed(app: ServiceApp): Promise<void> {
  for (const [account, amount] of [['a', 10], ['b', 5], ['a', 7]] as const) expect((await credit(app, account, amount)).statusCode).toBe(200);
}

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
    const deadline = Date.now() + 10_000;
    while (!ledger.hungIn && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const holder = ledger.hungIn!;
    const survivor = holder === one ? two : one;
    // While one instance rebuilds, another's scripts are refused: only the lease holder writes.
    await expect(survivor.redisScripts.run('credit', [ledger.key], ['a', 1])).rejects.toThrow(/STATELOST/);
    // As if the process were killed: no renewals, no writes from it any more.
    holder.redis.disconnect();
    await waitForReadiness(survivor, 503);
    await waitForReadiness(survivor, 200);
    expect(await balance(survivor, 'a')).toBe(17);
    expect(ledger.rebuilds).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
