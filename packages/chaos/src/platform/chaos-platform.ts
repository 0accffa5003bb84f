import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  discoverServices,
  freePort,
  guardedChildPid,
  provisionTopics,
  startKafka,
  startRedis,
  type RunningKafka,
  type RunningRedis,
} from '@expo/infra';
import type { ServiceAddresses } from '../workload/chaos-transport.ts';
import { ServiceInstance } from './service-instance.ts';
import { TcpProxy } from './tcp-proxy.ts';

export interface ChaosPlatformOptions {
  /** Kafka's and Redis's data, the services' logs and the signing keys go below it. */
  readonly dir: string;
  /** The expo's days (badges are valid on them). */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly instancesPerService?: number;
  readonly log: (line: string) => void;
}

const SERVICE_NAMES = ['registration', 'badge-scanning', 'matchmaking', 'analytics'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * The whole platform on loopback, owned by the chaos run: a Kafka broker and a Redis of its own
 * (so their faults touch nothing else), each behind a TCP proxy that every service connects
 * through (latency, dropped connections), and several instances of every service.
 */
export class ChaosPlatform {
  readonly adminToken = `chaos-admin-${randomBytes(12).toString('hex')}`;
  readonly opsToken = `chaos-ops-${randomBytes(12).toString('hex')}`;
  readonly expoId = `chaos-${randomBytes(4).toString('hex')}`;

  private constructor(
    private readonly options: ChaosPlatformOptions,
    private kafka: RunningKafka,
    readonly kafkaPort: number,
    readonly kafkaProxy: TcpProxy,
    private redis: RunningRedis,
    readonly redisPort: number,
    readonly redisProxy: TcpProxy,
    readonly instances: Readonly<Record<ServiceName, readonly ServiceInstance[]>>,
  ) {}

  /** What the services and the checkers connect to: the proxies. */
  get kafkaBrokers(): string {
    return `127.0.0.1:${this.kafkaProxy.port}`;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redisProxy.port}`;
  }

  /** Redis itself, past the proxy (for the harness's own SAVE). */
  get directRedisUrl(): string {
    return `redis://127.0.0.1:${this.redisPort}`;
  }

  get addresses(): ServiceAddresses {
    const urls = (name: ServiceName) => this.instances[name].map((i) => i.url);
    return { registration: urls('registration'), scanning: urls('badge-scanning'), matchmaking: urls('matchmaking'), analytics: urls('analytics') };
  }

  get allInstances(): ServiceInstance[] {
    return SERVICE_NAMES.flatMap((n) => [...this.instances[n]]);
  }

  static async start(options: ChaosPlatformOptions): Promise<ChaosPlatform> {
    const count = options.instancesPerService ?? 2;
    const kafkaPort = await freePort();
    const redisPort = await freePort([kafkaPort]);
    // The proxies listen before the broker starts: it advertises the proxy's port, so every
    // client's connections after bootstrap go through it as well.
    const kafkaProxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: kafkaPort });
    const redisProxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: redisPort });
    const kafka = await startChaosKafka(options, kafkaPort, kafkaProxy.port);
    const redis = await startRedis({ dataDir: join(options.dir, 'redis'), port: redisPort, ownerPid: process.pid, log: options.log });
    await provisionTopics(`127.0.0.1:${kafkaProxy.port}`);

    const services = discoverServices().filter((s) => (SERVICE_NAMES as readonly string[]).includes(s.name));
    const ports: number[] = [kafkaPort, redisPort, kafkaProxy.port, redisProxy.port];
    const instances = {} as Record<ServiceName, ServiceInstance[]>;
    const platform = new ChaosPlatform(options, kafka, kafkaPort, kafkaProxy, redis, redisPort, redisProxy, instances);
    const env = platform.serviceEnv();
    for (const service of services) {
      const list: ServiceInstance[] = [];
      for (let i = 0; i < count; i++) {
        const port = await freePort(ports);
        ports.push(port);
        list.push(new ServiceInstance(service, i, port, env, join(options.dir, 'logs')));
      }
      instances[service.name as ServiceName] = list;
    }
    for (const instance of platform.allInstances) instance.start();
    await platform.waitAllReady(240_000);
    return platform;
  }

  /** What every instance gets: the proxies' addresses, the expo, the tokens. */
  serviceEnv(): NodeJS.ProcessEnv {
    const days = Math.round((Date.parse(this.options.lastDay) - Date.parse(this.options.firstDay)) / 86_400_000) + 1;
    return {
      ...process.env,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      KAFKA_BROKERS: this.kafkaBrokers,
      REDIS_URL: this.redisUrl,
      EXPO_ID: this.expoId,
      TOPIC_PREFIX: '',
      ADMIN_TOKENS: this.adminToken,
      OPS_TOKENS: this.opsToken,
      BADGE_SIGNING_KEYS_FILE: join(this.options.dir, 'badge-signing-keys.json'),
      EXPO_FIRST_DAY: this.options.firstDay,
      EXPO_LAST_DAY: this.options.lastDay,
      REGISTRATION_RATE_LIMIT: '1000000',
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

  /** kill -9 of the broker's JVM. */
  async crashKafka(): Promise<void> {
    const pid = guardedChildPid(this.kafka.pid, 'java');
    if (pid !== null) process.kill(pid, 'SIGKILL');
    await this.kafka.stop();
  }

  /** The broker again on the same port with the same data. */
  async restartKafka(): Promise<void> {
    this.kafka = await startChaosKafka(this.options, this.kafkaPort, this.kafkaProxy.port);
  }

  /** kill -9 of redis-server (nothing is persisted: it comes back empty unless a copy was saved). */
  async crashRedis(): Promise<void> {
    const pid = guardedChildPid(this.redis.pid, 'redis-server');
    if (pid !== null) process.kill(pid, 'SIGKILL');
    await this.redis.stop();
  }

  /** redis-server again on the same port; it loads the copy `saveRedisCopy` wrote, if any, and the copy is then removed. */
  async restartRedis(): Promise<void> {
    const dataDir = join(this.options.dir, 'redis');
    this.redis = await startRedis({ dataDir, port: this.redisPort, ownerPid: process.pid, log: this.options.log });
    rmSync(join(dataDir, 'dump.rdb'), { force: true });
  }

  /** A copy of Redis as it is now, which a later restart comes back from (a stale replica or backup). */
  async saveRedisCopy(): Promise<void> {
    const client = new Redis(this.directRedisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      await client.save();
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.allInstances.map((i) => i.stop()));
    await Promise.all([this.kafka.stop(), this.redis.stop()]);
    await Promise.all([this.kafkaProxy.close(), this.redisProxy.close()]);
  }
}

function startChaosKafka(options: ChaosPlatformOptions, port: number, advertisedPort: number): Promise<RunningKafka> {
  // A broker killed with -9 recovers its logs on start, on cores the services keep busy retrying:
  // a long run saw one restart take over the default 60 s.
  return startKafka({ dataDir: join(options.dir, 'kafka'), port, advertisedPort, ownerPid: process.pid, log: options.log, startTimeoutMs: 240_000 });
}
