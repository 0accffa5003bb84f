import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clusterNodes, servesSlot } from '../src/redis/cluster-state.ts';
import { startRedisCluster, waitForNewPrimary, type RunningRedisCluster } from '../src/redis/cluster.ts';
import { pidsMatching } from './helpers.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'expo-redis-cluster-test-'));
let cluster: RunningRedisCluster;
let client: Cluster;

/** The seed nodes of a `redis://h1:p1,h2:p2` URL, as ioredis's Cluster takes them. */
function seeds(url: string): { host: string; port: number }[] {
  return url
    .slice('redis://'.length)
    .split(',')
    .map((address) => ({ host: address.split(':')[0] ?? '', port: Number(address.split(':')[1]) }));
}

beforeAll(async () => {
  const started = Date.now();
  cluster = await startRedisCluster({ dataDir, ownerPid: process.pid });
  console.log(`Redis Cluster up in ${Date.now() - started} ms: ${cluster.url}`);
  client = new Cluster(seeds(cluster.url), { enableOfflineQueue: false });
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
});

afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
  await vi.waitFor(
    () => {
      const left = pidsMatching(dataDir);
      if (left.length > 0) throw new Error(`redis-servers of the cluster still running 10 s after it stopped: ${left.join(', ')}`);
    },
    { timeout: 10_000, interval: 200 },
  );
  rmSync(dataDir, { recursive: true, force: true });
});

async function slotOf(key: string): Promise<number> {
  return Number(await client.cluster('KEYSLOT', key));
}

async function primaryPortOf(slot: number): Promise<number | undefined> {
  return (await cluster.primaries()).find((p) => servesSlot(p, slot))?.port;
}

describe('the local Redis Cluster', () => {
  it('has three primaries and three replicas serving all 16384 slots, the primaries as seeds', async () => {
    expect(cluster.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$/);
    expect(cluster.nodes.map((n) => n.role).sort()).toEqual(['primary', 'primary', 'primary', 'replica', 'replica', 'replica']);
    const primaries = await cluster.primaries();
    expect(primaries.map((p) => `127.0.0.1:${p.port}`).sort()).toEqual(
      seeds(cluster.url)
        .map((s) => `${s.host}:${s.port}`)
        .sort(),
    );
    expect(primaries.flatMap((p) => p.slots).reduce((sum, [from, to]) => sum + to - from + 1, 0)).toBe(16384);
  });

  it('serves keys of two hash tags from two slots', async () => {
    await client.set('{expo-a}:x', 'a');
    await client.set('{expo-b}:x', 'b');
    const [slotA, slotB] = [await slotOf('{expo-a}:x'), await slotOf('{expo-b}:x')];
    console.log(`{expo-a} on slot ${slotA} (127.0.0.1:${await primaryPortOf(slotA)}), {expo-b} on slot ${slotB} (127.0.0.1:${await primaryPortOf(slotB)})`);
    expect(slotA).not.toBe(slotB);
    expect(await client.get('{expo-a}:x')).toBe('a');
    expect(await client.get('{expo-b}:x')).toBe('b');
  });

  it('runs a script over two keys of one hash tag, and refuses one over two tags', async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCRBY', KEYS[2], ARGV[2])";
    expect(await client.eval(script, 2, '{expo-a}:name', '{expo-a}:count', 'stand-12', 5)).toBe(5);
    expect(await client.get('{expo-a}:name')).toBe('stand-12');
    await expect(client.eval(script, 2, '{expo-a}:name', '{expo-b}:count', 'stand-12', 5)).rejects.toThrow(/CROSSSLOT/);
  });

  it('fails over to a replica when the primary of {expo-a} is killed with SIGKILL', async () => {
    const slot = await slotOf('{expo-a}:x');
    const killed = (await cluster.primaries()).find((p) => servesSlot(p, slot));
    const node = cluster.nodes.find((n) => n.port === killed?.port);
    if (killed === undefined || node === undefined) throw new Error(`no node serves slot ${slot}`);
    // Written on the primary and acknowledged by its replica (WAIT) before the kill.
    const direct = new Redis({ port: killed.port, lazyConnect: true });
    await direct.set('{expo-a}:x', 'acknowledged');
    expect(await direct.wait(1, 2000)).toBe(1);
    direct.disconnect();

    const killedAt = Date.now();
    await node.kill('SIGKILL');
    const promoted = (await waitForNewPrimary(cluster, slot, killed.id, 10_000)).port;
    console.log(`failover of slot ${slot} from 127.0.0.1:${killed.port} to 127.0.0.1:${promoted} in ${Date.now() - killedAt} ms`);
    expect(cluster.nodes.find((n) => n.port === promoted)?.role).toBe('replica');
    expect(await client.get('{expo-a}:x')).toBe('acknowledged');
    expect(await client.get('{expo-b}:x')).toBe('b');

    const restartedAt = Date.now();
    await node.start();
    console.log(`killed node back as a replica in ${Date.now() - restartedAt} ms`);
    const seen = (await clusterNodes(node.port)).find((n) => n.flags.includes('myself'));
    expect(seen?.flags).toContain('slave');
    expect(seen?.primaryId).toBe((await cluster.primaries()).find((p) => p.port === promoted)?.id);
  });
});
