import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DedicatedRedisCluster } from '../src/dedicated-redis-cluster.ts';

let redis: DedicatedRedisCluster;
let client: Cluster;

beforeAll(async () => {
  redis = await DedicatedRedisCluster.start();
  const seeds = redis.url
    .slice('redis://'.length)
    .split(',')
    .map((address) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) }));
  client = new Cluster(seeds);
});

afterAll(async () => {
  client?.disconnect();
  await redis?.close();
});

describe('DedicatedRedisCluster', () => {
  it('kills the primary of a key and sees its replica take over, the key still served', async () => {
    const before = await redis.primaryOf('{expo-t}:k');
    expect(before.slot).toBe(Number(await client.cluster('KEYSLOT', '{expo-t}:k')));
    // On the primary, and on its replica too before the kill (WAIT): replication is asynchronous.
    const primary = new Redis({ port: before.port });
    await primary.set('{expo-t}:k', 'v');
    expect(await primary.wait(1, 2000)).toBe(1);
    primary.disconnect();

    const killed = await redis.killPrimaryOf('{expo-t}:k');
    expect(killed).toEqual(before);
    const failover = await redis.waitForFailover();
    console.log(`slot ${failover.slot} failed over to 127.0.0.1:${failover.port} in ${failover.ms} ms`);
    expect(failover.port).not.toBe(killed.port);
    expect(await redis.primaryOf('{expo-t}:k')).toEqual({ slot: killed.slot, port: failover.port, id: failover.id });
    expect(await client.get('{expo-t}:k')).toBe('v');
  });
});
