import { join } from 'node:path';
import { waitForBroker } from './admin.ts';
import { freePort, isPortFree, restartOnLostPort } from '../ports.ts';
import { guardedChildPid, stopProcess, type GuardedProcess } from '../process.ts';
import {
  awaitNode,
  formatStorage,
  formattedClusterId,
  kafkaRuntime,
  newClusterId,
  spawnKafkaNode,
  writeNodeFiles,
  type Heap,
  type KafkaRuntime,
  type KafkaStartOptions,
  type NodeFiles,
} from './node.ts';
import type { Replication, Voter } from './server-properties.ts';
import { KAFKA_VERSION } from './version.ts';

/** Three copies of every partition, two of which hold a write before it is acknowledged. */
export const CLUSTER_REPLICATION: Replication = { factor: 3, minInsyncReplicas: 2 };

const NODE_IDS = [1, 2, 3] as const;

/** Three JVMs share the machine's cores with the services: a smaller heap each than a lone broker. */
const NODE_HEAP: Heap = { initial: '128m', max: '512m' };

export interface KafkaClusterOptions extends KafkaStartOptions {
  /** Holds one folder per node (`node-1` ...), kept between runs for `pnpm dev`. */
  readonly dataDir: string;
  /** Node 1's client port when free (node 2 and 3 take the next two), else any free ports. */
  readonly preferredPort?: number;
}

export interface KafkaNode {
  readonly nodeId: number;
  readonly port: number;
  /** The guard of the node's JVM (stopping goes through it); a new one each time the node is started. */
  readonly pid: number;
  readonly logFile: string;
  /** Signals the JVM itself (SIGKILL: a crash, SIGSTOP: a pause), not its guard. */
  kill(signal: NodeJS.Signals): void;
  /** Starts the node again on the same ports and data; resolves once the cluster has all three brokers again. */
  start(): Promise<void>;
}

export interface RunningKafkaCluster {
  readonly brokers: string;
  readonly nodes: readonly KafkaNode[];
  stop(): Promise<void>;
}

interface NodePlan {
  readonly nodeId: number;
  readonly port: number;
  readonly files: NodeFiles;
}

/**
 * Starts three Apache Kafka nodes (KRaft, each broker and controller, a quorum of three) from the
 * Maven Central jars on loopback, with three copies of every partition (internal topics too) and
 * two in sync for an acknowledged write. Resolves once every node answers metadata with the
 * cluster's id and all three brokers are registered; otherwise every node is stopped and the error
 * carries the failing node's log tail. Ports lost to another process before the JVMs bound them
 * are chosen again, as for a single broker.
 */
export async function startKafkaCluster(options: KafkaClusterOptions): Promise<RunningKafkaCluster> {
  return restartOnLostPort('Kafka cluster', undefined, () => startClusterOnce(options), options.log);
}

async function startClusterOnce(options: KafkaClusterOptions): Promise<RunningKafkaCluster> {
  const env = options.env ?? process.env;
  const runtime = kafkaRuntime(env, options.log);
  const plans = await planNodes(options.dataDir, options.preferredPort);
  // Storage kept from an earlier run already holds the cluster's id; all nodes must share it.
  const clusterId = formattedClusterId(plans[0]!.files.logDir) ?? newClusterId();
  await Promise.all(plans.map((p) => formatStorage(runtime, p.files, clusterId)));

  const brokers = plans.map((p) => `127.0.0.1:${p.port}`).join(',');
  const logs = join(options.dataDir, 'node-*', 'kafka.log');
  options.log?.(`Starting a three-node Apache Kafka ${KAFKA_VERSION} cluster on ${brokers} (logs: ${logs})`);
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const nodes = plans.map((plan) => new ClusterNode(plan, runtime, { ownerPid: options.ownerPid, env, clusterId, timeoutMs }));
  const starting = nodes.map((node) => node.start());
  // Once one node failed, the others are stopped below; their own waits end in errors nobody reads.
  for (const s of starting) s.catch(() => undefined);
  try {
    await Promise.all(starting);
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  return {
    brokers,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** Each node's folder and ports: a client port (preferred ones when free) and a controller port. */
async function planNodes(dataDir: string, preferredPort: number | undefined): Promise<NodePlan[]> {
  const taken: number[] = [];
  const pick = async (preferred?: number): Promise<number> => {
    const usable = preferred !== undefined && !taken.includes(preferred) && (await isPortFree(preferred));
    const port = usable ? preferred : await freePort(taken);
    taken.push(port);
    return port;
  };
  const ports: Array<{ nodeId: number; port: number; controllerPort: number }> = [];
  for (const [i, nodeId] of NODE_IDS.entries()) {
    const port = await pick(preferredPort === undefined ? undefined : preferredPort + i);
    ports.push({ nodeId, port, controllerPort: await pick() });
  }
  const voters: Voter[] = ports.map(({ nodeId, controllerPort }) => ({ nodeId, controllerPort }));
  return ports.map(({ nodeId, port, controllerPort }) => ({
    nodeId,
    port,
    files: writeNodeFiles(join(dataDir, `node-${nodeId}`), {
      nodeId,
      port,
      controllerPort,
      voters,
      replication: CLUSTER_REPLICATION,
    }),
  }));
}

interface NodeSettings {
  readonly ownerPid: number;
  readonly env: NodeJS.ProcessEnv;
  readonly clusterId: string;
  readonly timeoutMs: number;
}

class ClusterNode implements KafkaNode {
  private process: GuardedProcess | null = null;

  constructor(
    private readonly plan: NodePlan,
    private readonly runtime: KafkaRuntime,
    private readonly settings: NodeSettings,
  ) {}

  get nodeId(): number {
    return this.plan.nodeId;
  }

  get port(): number {
    return this.plan.port;
  }

  get logFile(): string {
    return this.plan.files.logFile;
  }

  get pid(): number {
    if (this.process === null) throw new Error(`Kafka node ${this.nodeId} was never started`);
    return this.process.pid;
  }

  kill(signal: NodeJS.Signals): void {
    const jvm = this.process === null ? null : guardedChildPid(this.process.pid, 'java');
    if (jvm !== null) process.kill(jvm, signal);
  }

  async start(): Promise<void> {
    await this.stop();
    const { ownerPid, env, clusterId, timeoutMs } = this.settings;
    const child = spawnKafkaNode(this.runtime, this.plan.files, { ownerPid, env, heap: NODE_HEAP });
    this.process = child;
    const ready = waitForBroker(`127.0.0.1:${this.port}`, timeoutMs, clusterId, NODE_IDS.length);
    await awaitNode(`Kafka node ${this.nodeId}`, child, this.logFile, ready, timeoutMs);
  }

  /** A stop of its guard: the node shuts down in order, or is killed after the guard's grace period. */
  async stop(): Promise<void> {
    if (this.process !== null) await stopProcess(this.process.pid);
  }
}
