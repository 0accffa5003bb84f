import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InfraError } from '../errors.ts';
import { freePort } from '../ports.ts';
import {
  clusterNodes,
  clusterProblem,
  isServingPrimary,
  rolesProblem,
  servesSlot,
  serverPid,
  waitForNoProblem,
  type ClusterNodeEntry,
} from './cluster-state.ts';
import { startRedis, type RunningRedis } from './server.ts';

const run = promisify(execFile);

const NODE_COUNT = 6;
/**
 * Milliseconds without an answer before a node is suspected failing: short (the default is 15 s)
 * so that a replica takes over from a killed primary within a few seconds in dev and tests.
 */
export const CLUSTER_NODE_TIMEOUT_MS = 2000;

export interface RedisClusterOptions {
  readonly dataDir: string;
  readonly ownerPid: number;
  readonly log?: (line: string) => void;
  /** For each node to answer, and then for the whole cluster to serve every slot. */
  readonly startTimeoutMs?: number;
}

export interface RedisClusterNode {
  readonly port: number;
  /** PID of redis-server itself (not of its guard), so that a kill is what a crash would be. */
  readonly pid: number;
  /** Its role when the cluster was created; `primaries()` tells the current ones. */
  readonly role: 'primary' | 'replica';
  /** The node id the cluster knows it by (kept across restarts, in its nodes-<port>.conf). */
  readonly id: string;
  /** False from a kill (SIGKILL or SIGTERM) until start(). */
  readonly running: boolean;
  /**
   * Sends `signal` to redis-server; for SIGKILL and SIGTERM, settles once it has ended. Other
   * signals (SIGSTOP, SIGCONT) settle at once.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and dir, so it rejoins; settles when the cluster is ok from its side. */
  start(): Promise<void>;
}

export interface ClusterPrimary {
  readonly id: string;
  readonly port: number;
  readonly slots: readonly (readonly [number, number])[];
}

export interface RunningRedisCluster {
  /** `redis://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`: the primaries at creation, as seed nodes. */
  readonly url: string;
  readonly nodes: readonly RedisClusterNode[];
  /** The primaries serving slots now, as a live node's CLUSTER NODES tells. */
  primaries(): Promise<ClusterPrimary[]>;
  stop(): Promise<void>;
}

class ClusterNode implements RedisClusterNode {
  id = '';
  role: 'primary' | 'replica' = 'primary';
  pid = 0;
  #running: RunningRedis | null = null;
  #port = 0;
  #busPort = 0;

  constructor(
    private readonly dir: string,
    private readonly options: RedisClusterOptions,
  ) {}

  get port(): number {
    return this.#port;
  }

  get running(): boolean {
    return this.#running !== null;
  }

  /** Starts redis-server in cluster mode; on its first start it picks the client and bus ports. */
  async launch(): Promise<void> {
    this.#running = await startRedis({
      dataDir: this.dir,
      ownerPid: this.options.ownerPid,
      startTimeoutMs: this.options.startTimeoutMs,
      ...(this.#port ? { port: this.#port } : {}),
      extraArgs: async (port) => {
        // The bus is chosen apart: port + 10000 (Redis's default) is past 65535 for most ports the OS hands out.
        const busPort = this.#port === port ? this.#busPort : await freePort([port]);
        this.#busPort = busPort;
        return [
          ...['--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
          ...['--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS)],
          // A primary has one replica: no use waiting (5 s by default) for others before a full sync.
          ...['--repl-diskless-sync-delay', '0'],
        ];
      },
    });
    this.#port = this.#running.port;
    this.pid = await serverPid(this.#port);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const running = this.#running;
    if (running === null) return;
    process.kill(this.pid, signal);
    if (signal !== 'SIGKILL' && signal !== 'SIGTERM') return;
    await running.exited;
    this.#running = null;
  }

  async start(): Promise<void> {
    if (this.#running !== null) throw new InfraError(`Redis Cluster node 127.0.0.1:${this.#port} is already running`);
    await this.launch();
    await waitForNoProblem(() => clusterProblem([this.#port], NODE_COUNT), this.options.startTimeoutMs ?? 30_000);
  }

  async stop(): Promise<void> {
    await this.#running?.stop();
    this.#running = null;
  }
}

async function createCluster(nodes: readonly ClusterNode[], timeoutMs: number): Promise<void> {
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  try {
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], { timeout: timeoutMs });
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    const tail = `${stdout}${stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new InfraError(`redis-cli --cluster create failed (${message.split('\n')[0]}):\n${tail}`);
  }
}

function liveEntries(nodes: readonly ClusterNode[]): Promise<ClusterNodeEntry[]> {
  const asked = nodes.filter((node) => node.running);
  const tryFrom = async (i: number): Promise<ClusterNodeEntry[]> => {
    const node = asked[i];
    if (node === undefined) throw new InfraError('No node of the Redis Cluster answers CLUSTER NODES');
    return clusterNodes(node.port).catch(() => tryFrom(i + 1));
  };
  return tryFrom(0);
}

/**
 * Starts a Redis Cluster of three primaries and three replicas (Debian's `redis-server`, each
 * node in a folder of its own under `dataDir`, nothing persisted but each node's cluster config)
 * on free loopback ports, and settles once every node serves all 16384 slots.
 */
export async function startRedisCluster(options: RedisClusterOptions): Promise<RunningRedisCluster> {
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const nodes = Array.from({ length: NODE_COUNT }, (_, i) => new ClusterNode(join(options.dataDir, `node-${i + 1}`), options));
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    // One after another: a port is bound before the next node looks for a free one.
    for (const node of nodes) await node.launch();
    await createCluster(nodes, timeoutMs);
    const ports = nodes.map((node) => node.port);
    const half = NODE_COUNT / 2;
    await waitForNoProblem(async () => (await clusterProblem(ports, NODE_COUNT)) ?? rolesProblem(ports, half, half), timeoutMs);
    const entries = await clusterNodes(nodes[0]?.port ?? 0);
    for (const node of nodes) {
      const entry = entries.find((e) => e.port === node.port);
      node.id = entry?.id ?? '';
      node.role = entry?.flags.includes('master') ? 'primary' : 'replica';
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const seeds = nodes.filter((node) => node.role === 'primary').map((node) => `127.0.0.1:${node.port}`);
  options.log?.(`Redis Cluster on ${seeds.join(', ')} (3 primaries, 3 replicas, nothing persisted)`);
  return {
    url: `redis://${seeds.join(',')}`,
    nodes,
    primaries: async () => (await liveEntries(nodes)).filter(isServingPrimary).map(({ id, port, slots }) => ({ id, port, slots })),
    stop,
  };
}

/**
 * Waits until a primary other than `formerPrimaryId` serves `slot` and every running node reports
 * the cluster ok: a replica has taken over from a primary that was killed.
 */
export async function waitForNewPrimary(cluster: RunningRedisCluster, slot: number, formerPrimaryId: string, timeoutMs: number): Promise<ClusterPrimary> {
  const running = cluster.nodes.filter((node) => node.running).map((node) => node.port);
  let primary: ClusterPrimary | undefined;
  const problem = async () => {
    primary = (await cluster.primaries().catch(() => [])).find((p) => p.id !== formerPrimaryId && servesSlot(p, slot));
    return primary ? clusterProblem(running, cluster.nodes.length) : `slot ${slot} has no new primary yet`;
  };
  await waitForNoProblem(problem, timeoutMs, `No failover of slot ${slot}`);
  return primary as ClusterPrimary;
}
