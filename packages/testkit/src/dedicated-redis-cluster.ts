import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisCommand, servesSlot, startRedisCluster, waitForNewPrimary, type RunningRedisCluster } from '@expo/infra';

export interface SlotPrimary {
  readonly slot: number;
  readonly port: number;
  readonly id: string;
}

export interface Failover {
  readonly slot: number;
  /** The node that serves the slot now (the killed primary's replica). */
  readonly port: number;
  readonly id: string;
  readonly ms: number;
}

/**
 * A Redis Cluster (three primaries, three replicas) of the test file's own, for the faults a
 * cluster has and one server does not: a primary killed, a replica taking over.
 */
export class DedicatedRedisCluster {
  #killed: (SlotPrimary & { at: number }) | null = null;
  private constructor(
    private readonly dataDir: string,
    readonly cluster: RunningRedisCluster,
  ) {}

  static async start(): Promise<DedicatedRedisCluster> {
    const dataDir = mkdtempSync(join(tmpdir(), 'expo-test-redis-cluster-'));
    try {
      return new DedicatedRedisCluster(dataDir, await startRedisCluster({ dataDir, ownerPid: process.pid }));
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** `redis://h:p1,h:p2,h:p3`, the primaries as seed nodes. */
  get url(): string {
    return this.cluster.url;
  }

  /** The slot of `key` as the cluster computes it (its `{hash tag}` when it has one). */
  async keySlot(key: string): Promise<number> {
    const [primary] = await this.cluster.primaries();
    return Number(await redisCommand(primary?.port ?? 0, ['CLUSTER', 'KEYSLOT', key]));
  }

  /** The primary serving `key`'s slot now. */
  async primaryOf(key: string): Promise<SlotPrimary> {
    const slot = await this.keySlot(key);
    const primary = (await this.cluster.primaries()).find((p) => servesSlot(p, slot));
    if (primary === undefined) throw new Error(`no primary serves slot ${slot} (key ${key})`);
    return { slot, port: primary.port, id: primary.id };
  }

  /** SIGKILLs the primary serving `key`'s slot, as a crash would; settles once it is gone. */
  async killPrimaryOf(key: string): Promise<SlotPrimary> {
    const primary = await this.primaryOf(key);
    const node = this.cluster.nodes.find((n) => n.port === primary.port);
    if (node === undefined) throw new Error(`primary 127.0.0.1:${primary.port} is not a node of this cluster`);
    const at = Date.now();
    await node.kill('SIGKILL');
    this.#killed = { ...primary, at };
    return primary;
  }

  /**
   * Waits until another node serves the killed primary's slot and every other node reports
   * `cluster_state:ok` again; how long that took since the kill.
   */
  async waitForFailover(timeoutMs = 15_000): Promise<Failover> {
    const killed = this.#killed;
    if (killed === null) throw new Error('waitForFailover() without killPrimaryOf() before it');
    const primary = await waitForNewPrimary(this.cluster, killed.slot, killed.id, timeoutMs);
    return { slot: killed.slot, port: primary.port, id: primary.id, ms: Date.now() - killed.at };
  }

  async close(): Promise<void> {
    await this.cluster.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
