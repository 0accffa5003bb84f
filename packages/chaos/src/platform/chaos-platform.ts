import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KafkaOptions } from '@expo/bus';
import { discoverServices, freePort, startBalancer, type RunningBalancer } from '@expo/infra';
import type { ServiceAddresses } from '../workload/chaos-transport.ts';
import { ClusterInfra } from './cluster-infra.ts';
import { ServiceInstance } from './service-instance.ts';
import { SingleNodeInfra } from './single-node-infra.ts';

export interface ChaosPlatformOptions {
  /** Kafka's and Redis's data, the services' logs and the signing keys go below it. */
  readonly dir: string;
  /** The expo's days (badges are valid on them). */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly instancesPerService?: number;
  /**
   * Three Kafka nodes and a Redis Cluster instead of one broker and one Redis behind proxies, and
   * HAProxy in front of the instances (the clients talk to it, not to the instances).
   */
  readonly cluster?: boolean;
  readonly log: (line: string) => void;
}

const SERVICE_NAMES = ['registration', 'badge-scanning', 'matchmaking', 'analytics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** HAProxy's checks in the chaos run: an instance killed leaves the pool within about a second. */
const BALANCER_CHECK_MS = 500;

/**
 * The whole platform on loopback, owned by the chaos run: its own Kafka and Redis (one node each
 * behind TCP proxies, or clusters of them) and several instances of every service.
 */
export class ChaosPlatform {
  readonly adminToken = `chaos-admin-${randomBytes(12).toString('hex')}`;
  readonly opsToken = `chaos-ops-${randomBytes(12).toString('hex')}`;
  readonly expoId = `chaos-${randomBytes(4).toString('hex')}`;
  #balancer: { running: RunningBalancer; urls: ServiceAddresses } | null = null;

  private constructor(
    private readonly options: ChaosPlatformOptions,
    private readonly infra: SingleNodeInfra | ClusterInfra,
    readonly instances: Readonly<Record<ServiceName, readonly ServiceInstance[]>>,
  ) {}

  get kafkaBrokers(): string {
    return this.infra.kafkaBrokers;
  }

  /** Redis as its admin (every key): for the harness, never a service. */
  get redisUrl(): string {
    return this.infra.redisUrl;
  }

  /**
   * Kafka as its admin (a super user on the secured single broker), for @expo/bus's createKafka:
   * the harness writes the poison record and the checkers read every topic and group with it.
   */
  get kafkaAdmin(): Pick<KafkaOptions, 'brokers' | 'sasl'> {
    return this.infra.kafkaAdmin;
  }

  /** The one broker and one Redis the single-node faults act on; throws on a cluster run. */
  get single(): SingleNodeInfra {
    if (!(this.infra instanceof SingleNodeInfra)) throw new Error('this fault needs the single-node platform (not --profile cluster)');
    return this.infra;
  }

  /** The clusters the cluster faults act on; throws on a single-node run. */
  get cluster(): ClusterInfra {
    if (!(this.infra instanceof ClusterInfra)) throw new Error('this fault needs the cluster platform (--profile cluster)');
    return this.infra;
  }

  /** Every instance's own address, for the checkers (each analytics instance is compared, say). */
  get addresses(): ServiceAddresses {
    const urls = (name: ServiceName) => this.instances[name].map((i) => i.url);
    return { registration: urls('registration'), scanning: urls('badge-scanning'), matchmaking: urls('matchmaking'), analytics: urls('analytics') };
  }

  /** Where the workload sends its requests: HAProxy's front per service when it runs, else the instances. */
  get clientAddresses(): ServiceAddresses {
    return this.#balancer?.urls ?? this.addresses;
  }

  get allInstances(): ServiceInstance[] {
    return SERVICE_NAMES.flatMap((n) => [...this.instances[n]]);
  }

  static async start(options: ChaosPlatformOptions): Promise<ChaosPlatform> {
    const count = options.instancesPerService ?? 2;
    const infra = options.cluster ? await ClusterInfra.start(options.dir, options.log) : await SingleNodeInfra.start(options.dir, options.log);
    const services = discoverServices().filter((s) => (SERVICE_NAMES as readonly string[]).includes(s.name));
    const ports: number[] = infra.ports;
    const instances = {} as Record<ServiceName, ServiceInstance[]>;
    const platform = new ChaosPlatform(options, infra, instances);
    for (const service of services) {
      const env = platform.serviceEnv(service.name as ServiceName);
      const list: ServiceInstance[] = [];
      for (let i = 0; i < count; i++) {
        const port = await freePort(ports);
        ports.push(port);
        list.push(new ServiceInstance(service, i, port, env, join(options.dir, 'logs')));
      }
      instances[service.name as ServiceName] = list;
    }
    if (options.cluster) await platform.startBalancer(ports);
    for (const instance of platform.allInstances) instance.start();
    await platform.waitAllReady(240_000);
    return platform;
  }

  private async startBalancer(taken: number[]): Promise<void> {
    const fronts = {} as Record<ServiceName, number>;
    for (const name of SERVICE_NAMES) {
      fronts[name] = await freePort(taken);
      taken.push(fronts[name]);
    }
    const running = await startBalancer({
      services: SERVICE_NAMES.map((name) => ({ name, frontPort: fronts[name], instancePorts: this.instances[name].map((i) => i.port) })),
      checkIntervalMs: BALANCER_CHECK_MS,
      dataDir: join(this.options.dir, 'haproxy'),
      ownerPid: process.pid,
      log: this.options.log,
    });
    const url = (name: ServiceName) => [`http://127.0.0.1:${fronts[name]}`];
    this.#balancer = {
      running,
      urls: { registration: url('registration'), scanning: url('badge-scanning'), matchmaking: url('matchmaking'), analytics: url('analytics') },
    };
  }

  /**
   * What every instance of `service` gets: Kafka's and Redis's addresses with the service's own
   * users (on the secured single-node platform), the expo, the tokens. Its operator commands
   * (reconcile) run with it too.
   */
  serviceEnv(service: ServiceName): NodeJS.ProcessEnv {
    const days = Math.round((Date.parse(this.options.lastDay) - Date.parse(this.options.firstDay)) / 86_400_000) + 1;
    return {
      ...process.env,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      ...this.infra.serviceEnv(service),
      EXPO_ID: this.expoId,
      TOPIC_PREFIX: '',
      ADMIN_TOKENS: this.adminToken,
      OPS_TOKENS: this.opsToken,
      BADGE_SIGNING_KEYS_FILE: join(this.options.dir, 'badge-signing-keys.json'),
      EXPO_FIRST_DAY: this.options.firstDay,
      EXPO_LAST_DAY: this.options.lastDay,
      REGISTRATION_RATE_LIMIT: '1000000',
      // A simulated gate scans days of visitors in minutes: far above a real device's rate limit.
      SCAN_RATE_LIMIT_PER_MINUTE: '1000000',
      SCAN_BATCH_RATE_LIMIT_PER_MINUTE: '1000000',
      CLOSING_SWEEP_AT: 'off',
      // The simulator's days run faster than the clock (as in `pnpm dev`).
      SCAN_CLOCK_BOUND_SECONDS: String(days * 24 * 3600),
    };
  }

  /** Resolves once every running instance answers /readyz 200; throws naming the ones that do not. */
  async waitAllReady(timeoutMs: number): Promise<void> {
    const ready = await Promise.all(this.allInstances.map(async (i) => [i, await i.waitReady(timeoutMs)] as const));
    const late = ready.filter(([, ok]) => !ok).map(([i]) => `${i.name} (log: ${i.logFile})`);
    if (late.length > 0) throw new Error(`not ready after ${timeoutMs / 1000} s: ${late.join(', ')}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.allInstances.map((i) => i.stop()));
    await this.#balancer?.running.stop();
    await this.infra.stop();
  }
}
