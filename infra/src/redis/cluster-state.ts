import { InfraError } from '../errors.ts';
import { infoFields, redisCommand } from './command.ts';

export const CLUSTER_SLOTS = 16384;

/** One line of CLUSTER NODES: a node as the node asked sees it. */
export interface ClusterNodeEntry {
  readonly id: string;
  readonly port: number;
  /** `myself`, `master`, `slave`, `fail?` (suspected by the node asked), `fail` (agreed), … */
  readonly flags: readonly string[];
  readonly primaryId: string | null;
  /** Slot ranges it serves, both ends included. */
  readonly slots: readonly (readonly [number, number])[];
}

export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', primary = '-', , , , , ...slots] = line.trim().split(' ');
      return {
        id,
        port: Number(address.split('@')[0]?.split(':').at(-1)),
        flags: flags.split(','),
        primaryId: primary === '-' ? null : primary,
        // A `[slot->-id]` entry is a slot being migrated, still served by its owner's plain range.
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => {
            const [from, to = from] = s.split('-').map(Number) as [number, number?];
            return [from, to] as const;
          }),
      };
    });
}

export async function clusterNodes(port: number): Promise<ClusterNodeEntry[]> {
  return parseClusterNodes(String(await redisCommand(port, ['CLUSTER', 'NODES'])));
}

/** A primary the cluster has not declared failed and that serves slots. */
export function isServingPrimary(node: ClusterNodeEntry): boolean {
  return node.flags.includes('master') && !node.flags.includes('fail') && node.slots.length > 0;
}

export function servesSlot(node: Pick<ClusterNodeEntry, 'slots'>, slot: number): boolean {
  return node.slots.some(([from, to]) => slot >= from && slot <= to);
}

/**
 * What keeps the nodes on `ports` from serving, as one sentence; null when each of them reports
 * `cluster_state:ok` with every slot assigned, knows `knownNodes` nodes, and, if it is a replica,
 * has its link to its primary up (a replica still syncing could not take over).
 */
export async function clusterProblem(ports: readonly number[], knownNodes: number): Promise<string | null> {
  for (const port of ports) {
    try {
      const cluster = infoFields(await redisCommand(port, ['CLUSTER', 'INFO']));
      const state = cluster.get('cluster_state');
      if (state !== 'ok') return `127.0.0.1:${port} reports cluster_state:${state}`;
      const assigned = Number(cluster.get('cluster_slots_assigned'));
      if (assigned !== CLUSTER_SLOTS) return `127.0.0.1:${port} sees ${assigned} of ${CLUSTER_SLOTS} slots assigned`;
      const known = Number(cluster.get('cluster_known_nodes'));
      if (known !== knownNodes) return `127.0.0.1:${port} knows ${known} of ${knownNodes} nodes`;
      const replication = infoFields(await redisCommand(port, ['INFO', 'replication']));
      const link = replication.get('master_link_status');
      if (replication.get('role') === 'slave' && link !== 'up') return `127.0.0.1:${port} has its primary link ${link}`;
    } catch (error) {
      return `127.0.0.1:${port} does not answer (${(error as Error).message})`;
    }
  }
  return null;
}

/**
 * What keeps the nodes on `ports` from agreeing on the cluster's shape, as one sentence; null when
 * each sees `primaries` primaries serving slots and `replicas` replicas (a node learns of a
 * replica some gossip rounds after `redis-cli --cluster create` has made it one).
 */
export async function rolesProblem(ports: readonly number[], primaries: number, replicas: number): Promise<string | null> {
  for (const port of ports) {
    try {
      const nodes = await clusterNodes(port);
      const seen = [nodes.filter(isServingPrimary).length, nodes.filter((n) => n.flags.includes('slave')).length];
      if (seen[0] !== primaries || seen[1] !== replicas) {
        return `127.0.0.1:${port} sees ${seen[0]} primaries and ${seen[1]} replicas, not ${primaries} and ${replicas}`;
      }
    } catch (error) {
      return `127.0.0.1:${port} does not answer (${(error as Error).message})`;
    }
  }
  return null;
}

/** Waits until `problem` settles with null; InfraError naming the last problem at the deadline. */
export async function waitForNoProblem(problem: () => Promise<string | null>, timeoutMs: number, what = 'Redis Cluster not ready'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await problem();
    if (found === null) return;
    if (Date.now() >= deadline) throw new InfraError(`${what} after ${timeoutMs} ms: ${found}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The PID of redis-server itself (its guard's is another), from INFO. */
export async function serverPid(port: number): Promise<number> {
  return Number(infoFields(await redisCommand(port, ['INFO', 'server'])).get('process_id'));
}
