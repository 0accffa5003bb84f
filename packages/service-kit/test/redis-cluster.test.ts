import { DedicatedRedisCluster, waitForReadiness } from '@expo/testkit';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterSeeds, createRedisClient, expoKey, primaries, probeState, stateKeys, type ServiceApp } from '../src/index.ts';
import { balance, credit, ledgerApp, newLedger, seed } from './fixtures/ledger.ts';

// A service's state on a Redis Cluster (three primaries, three replicas): the client, the guarded
// scripts and the state lifecycle as on one Redis, each expo on the slot of its hash tag, and the
// loss of a primary (its replica promoted, missing the last writes it had not yet copied) found by
// the state marker and folded again from the log.
let redis: DedicatedRedisCluster;
let client: Cluster;
const apps: ServiceApp[] = [];
beforeAll(async () => {
  redis = await DedicatedRedisCluster.start();
  client = createRedisClient({ url: redis.url, commandTimeoutMs: 5000 }) as Cluster;
  client.on('error', () => undefined);
}, 60_000);
afterEach(async () => void (await Promise.all(apps.splice(0).map((a) => a.close()))));
afterAll(async () => {
  client.disconnect();
  await redis.close();
});

const on = () => ({ redisUrl: redis.url, client, apps });

describe('Redis Cluster', () => {
  it('REDIS_URL with several host:port seeds makes a cluster client; one host makes a plain one', () => {
    expect(clusterSeeds('redis://user:p%40ss@10.0.0.1:7000,10.0.0.2:7001,10.0.0.3:7002')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '10.0.0.3', port: 7002 },
      ],
      username: 'user',
      password: 'p@ss',
      tls: false,
    });
    expect(clusterSeeds('rediss://h1:1,h2:2')).toMatchObject({ tls: true });
    expect(clusterSeeds('redis://127.0.0.1:6379/2')).toBeNull();
    expect(() => clusterSeeds('redis://h1:1,h2')).toThrow(/not host:port/);
    expect(client).toBeInstanceOf(Cluster);
  });

  it("a service on the cluster: guarded scripts, the state marker and its reads all on the expo's slot", async () => {
    const ledger = newLedger('cluster-ledger');
    const [one, two] = [await ledgerApp(ledger, on()), await ledgerApp(ledger, on())];
    await seed(one);
    expect([await balance(two, 'a'), await balance(two, 'b')]).toEqual([17, 5]);
    const probe = await probeState(client, ledger.keys.marker);
    expect(probe.verdict.whole).toBe(true);
    // The probe asks the node that serves the marker: its run id is the one written in the marker.
    const slotOwner = await redis.primaryOf(ledger.keys.marker);
    const ownerRunId = (
      await primaries(client)
        .find((n) => n.options.port === slotOwner.port)!
        .info('server')
    ).match(/run_id:(\w+)/)![1];
    expect(probe.now.runId).toBe(ownerRunId);
  }, 60_000);

  it('two expos land on different slots, and enough of them on every primary', async () => {
    const slots = new Map<number, string>();
    const owners = new Set<number>();
    const expos = [
      'ciie-2024',
      'canton-fair-2025',
      'ciftis-2025',
      'cafe-show-2025',
      'auto-shanghai-2025',
      'chinaplas-2025',
      'cmef-2025',
      'sial-china-2025',
      'bauma-china-2024',
      'hktdc-2025',
    ];
    for (const expoId of expos) {
      const marker = stateKeys(expoId, 'scan').marker;
      const { slot, port } = await redis.primaryOf(marker);
      // Every key of an expo shares its slot: one Lua script may touch any of them.
      expect((await redis.primaryOf(expoKey(expoId, 'scanning', 'zone', 'hall-1'))).slot).toBe(slot);
      slots.set(slot, expoId);
      owners.add(port);
    }
    expect(slots.size).toBe(expos.length);
    expect(owners.size).toBe(3);
  }, 30_000);

  it('FLUSHALL on every primary: fenced, rebuilt once, equal to before', async () => {
    const ledger = newLedger('cluster-flush');
    const [one, two] = [await ledgerApp(ledger, on()), await ledgerApp(ledger, on())];
    await seed(one);
    const rebuildsBefore = ledger.rebuilds;
    await Promise.all(primaries(client).map((node) => node.flushall()));
    expect((await one.inject('/v1/balances/a')).statusCode).toBe(503);
    await waitForReadiness(one, 503);
    await waitForReadiness(one, 200);
    await waitForReadiness(two, 200);
    expect(ledger.rebuilds - rebuildsBefore).toBe(1);
    for (const app of [one, two]) expect([await balance(app, 'a'), await balance(app, 'b')]).toEqual([17, 5]);
  }, 60_000);

  it("kill -9 of the primary of the expo's slot: the replica takes over, the marker shows another Redis, the state is folded again from the log", async () => {
    const ledger = newLedger('cluster-failover');
    const app = await ledgerApp(ledger, on());
    await seed(app);
    // Acknowledged just before the crash: it may not have reached the replica. The log has it.
    expect((await credit(app, 'b', 100)).statusCode).toBe(200);
    const rebuildsBefore = ledger.rebuilds;
    await redis.killPrimaryOf(ledger.keys.marker);
    const failover = await redis.waitForFailover();
    expect(failover.ms).toBeLessThan(15_000);
    // Within a probe or two of the new primary answering, the state is judged stale and refolded.
    await expect
      .poll(() => ledger.rebuilds, { timeout: 10_000, interval: 50, message: 'the state was not folded again within 10 s of the failover' })
      .toBeGreaterThan(rebuildsBefore);
    await waitForReadiness(app, 200, 30_000);
    expect(ledger.rebuilds - rebuildsBefore).toBe(1);
    expect([await balance(app, 'a'), await balance(app, 'b')]).toEqual([17, 105]);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^state_losses_total\{loss="other-redis"[^}]*\} 1$/m);
  }, 90_000);
});
