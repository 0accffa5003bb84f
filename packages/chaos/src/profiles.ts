import { brokerCrash } from './faults/broker-crash.ts';
import { clockSkew } from './faults/clock-skew.ts';
import { droppedConnections } from './faults/dropped-connections.ts';
import { FAULT_KINDS, type Fault, type ServiceName } from './faults/fault.ts';
import { instanceCrash } from './faults/instance-crash.ts';
import { instancePause } from './faults/instance-pause.ts';
import { kafkaLeaderCrash } from './faults/kafka-leader-crash.ts';
import { proxyLatency } from './faults/proxy-latency.ts';
import { redisPrimaryCrash } from './faults/redis-primary-crash.ts';
import { redisRestartEmpty } from './faults/redis-restart-empty.ts';
import { redisStaleFailover } from './faults/redis-stale-failover.ts';

export interface ChaosProfile {
  readonly name: 'short' | 'long' | 'cluster';
  /**
   * Three Kafka nodes, a Redis Cluster and HAProxy in front of `instancesPerService` instances of
   * each service (the cluster profile), or one broker and one Redis behind proxies.
   */
  readonly cluster: boolean;
  readonly instancesPerService: number;
  /**
   * The longest a fault of these kinds may leave scans without an answer (s), from its start until
   * the platform is whole again: a bound the run fails on, not only a figure in the report.
   */
  readonly silenceBoundsSeconds: Partial<Record<Fault['kind'], number>>;
  /**
   * Rounds of faults, each fault one at a time under load, in the order they happen (seeded: a
   * seed replays the same schedule). Rounds go on until `until` is met, or `maxRounds`.
   */
  readonly rounds: () => Generator<readonly Fault[]>;
  readonly until: { readonly rounds: number; readonly loadMs: number; readonly scans: number };
  readonly maxRounds: number;
  /** Quiet load between the platform being whole again after one fault and the next fault. */
  readonly gapMs: number;
  /**
   * Simulator steps per second and steps in flight. With several in flight, two visitors racing
   * for a zone's last place are decided in the order the service sees them, which the simulator
   * cannot know: such `accepted`/`capacity_full` mismatches are counted apart (a run with 8 in
   * flight under added latency showed one), and the capacity check holds the log to the limits.
   * Occupancy stays exact either way (the simulator follows the decisions it was told).
   */
  readonly rate: number;
  readonly concurrency: number;
  /** Registrations per second, every n-th a repeated e-mail. */
  readonly registrationRate: number;
  readonly duplicateEvery: number;
  /** Share of scanners offline each simulated day, for hours: their batches arrive in bursts. */
  readonly offlineShare: number;
  readonly outageMinutes: readonly [number, number];
}

/**
 * The long profile's load: half the scanners offline for hours at a time, so much of the traffic
 * is offline batches, 8 steps in flight: the rate 200,000 scans in a long run need (README, "Chaos
 * suite", for the rate it reaches).
 */
const LONG_RATE = 250;
const LONG_CONCURRENCY = 8;
const LONG_OFFLINE_SHARE = 0.5;

const SERVICES: readonly ServiceName[] = ['badge-scanning', 'registration', 'matchmaking', 'analytics'];

/** A small deterministic generator (mulberry32) so a seed replays the same schedule. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One round of every fault kind, on instances and services chosen by `random`. */
function round(random: () => number, scale: number): Fault[] {
  const service = () => SERVICES[Math.floor(random() * SERVICES.length)]!;
  const index = () => Math.floor(random() * 2);
  const ms = (seconds: number) => Math.round(seconds * 1000 * scale);
  return [
    instanceCrash('badge-scanning', index(), ms(5)),
    instancePause(service(), index(), ms(8)),
    brokerCrash(ms(5)),
    redisRestartEmpty(ms(3)),
    instanceCrash(service(), index(), ms(4)),
    redisStaleFailover(ms(8)),
    proxyLatency('redis', 50 + Math.floor(random() * 100), ms(8)),
    proxyLatency('kafka', 100 + Math.floor(random() * 150), ms(8)),
    droppedConnections(3, ms(6)),
    clockSkew((random() < 0.5 ? -1 : 1) * (2 + Math.floor(random() * 4)), ms(8)),
  ];
}

/** HAProxy spreads the 12 partitions' consumers over three instances of each service. */
const CLUSTER_INSTANCES = 3;

/**
 * The cluster profile's round: the faults a cluster is built to survive. The leader of a scans
 * partition chosen by the seed, the Redis primary of the expo's slot, and one instance of every
 * service at once (the balancer routes around them).
 */
function clusterRound(random: () => number): Fault[] {
  const partition = Math.floor(random() * 12);
  const index = Math.floor(random() * CLUSTER_INSTANCES);
  return [kafkaLeaderCrash(partition, 8000), redisPrimaryCrash(6000), instanceCrash(SERVICES, index, 5000)];
}

/**
 * short: every fault once, about 5 minutes with start-up and checks (CI).
 * long: rounds of every fault with longer holds until at least three rounds, 30 minutes of load
 * and 200,000 scans.
 * cluster: the cluster's faults once each on three Kafka nodes, a Redis Cluster and three
 * instances of every service behind HAProxy (CI); scans answered again within 10 s of a Kafka
 * leader's loss and 5 s of an instance's.
 */
export function chaosProfile(name: string, seed: number, only?: readonly string[]): ChaosProfile {
  const unknown = only?.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown fault kind(s) ${unknown.join(', ')}: ${FAULT_KINDS.join(', ')}`);
  const common = {
    registrationRate: 2,
    duplicateEvery: 7,
    outageMinutes: [120, 240] as const,
    cluster: false,
    instancesPerService: 2,
    silenceBoundsSeconds: {},
  };
  const rounds = (make: (random: () => number) => Fault[]) =>
    function* (): Generator<readonly Fault[]> {
      const random = generator(seed);
      for (;;) {
        const faults = make(random);
        yield only ? faults.filter((f) => only.includes(f.kind)) : faults;
      }
    };
  if (name === 'short') {
    return {
      name,
      rounds: rounds((random) => round(random, 1)),
      until: { rounds: 1, loadMs: 0, scans: 0 },
      maxRounds: 1,
      gapMs: 3000,
      rate: 60,
      concurrency: 4,
      offlineShare: 0.15,
      ...common,
    };
  }
  if (name === 'long') {
    return {
      name,
      rounds: rounds((random) => round(random, 1.5 + random())),
      until: { rounds: 3, loadMs: 30 * 60_000, scans: 200_000 },
      maxRounds: 40,
      gapMs: 5000,
      rate: LONG_RATE,
      concurrency: LONG_CONCURRENCY,
      offlineShare: LONG_OFFLINE_SHARE,
      ...common,
    };
  }
  if (name === 'cluster') {
    return {
      name,
      ...common,
      rounds: rounds(clusterRound),
      until: { rounds: 1, loadMs: 0, scans: 0 },
      maxRounds: 1,
      gapMs: 3000,
      rate: 60,
      concurrency: 4,
      offlineShare: 0.15,
      cluster: true,
      instancesPerService: CLUSTER_INSTANCES,
      silenceBoundsSeconds: { 'kafka-leader-crash': 10, 'instance-crash': 5 },
    };
  }
  throw new Error(`unknown profile ${name}: short, long or cluster`);
}
