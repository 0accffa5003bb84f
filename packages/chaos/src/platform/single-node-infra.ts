import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { KafkaOptions } from '@expo/bus';
import {
  freePort,
  guardedChildPid,
  kafkaSaslEnv,
  provisionTopics,
  REDIS_ADMIN_USER,
  scramConnection,
  startKafka,
  startRedis,
  type KafkaCredentials,
  type RedisAclOptions,
  type RunningKafka,
  type RunningRedis,
} from '@expo/infra';
import { KAFKA_ADMIN_USER, serviceAclUsers } from '@expo/schemas';
import { TcpProxy } from './tcp-proxy.ts';

/**
 * One Kafka broker and one Redis owned by the chaos run (so their faults touch nothing else), each
 * behind a TCP proxy that every service connects through (latency, dropped connections). Both run
 * secured, as `pnpm dev` runs them: the broker with SASL/SCRAM and the topic table's ACLs, Redis
 * with one ACL user per service and the default user off. Each service connects as its own user;
 * the harness (provisioning, the poison record, the checkers, Redis's SAVE) as the admin.
 */
export class SingleNodeInfra {
  private constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
    private kafka: RunningKafka,
    readonly kafkaPort: number,
    readonly kafkaProxy: TcpProxy,
    private redis: RunningRedis,
    readonly redisPort: number,
    readonly redisProxy: TcpProxy,
    private readonly redisAcl: RedisAclOptions,
  ) {}

  static async start(dir: string, log: (line: string) => void): Promise<SingleNodeInfra> {
    const kafkaPort = await freePort();
    const redisPort = await freePort([kafkaPort]);
    // The proxies listen before the broker starts: it advertises the proxy's port, so every
    // client's connections after bootstrap go through it as well.
    const kafkaProxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: kafkaPort });
    const redisProxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: redisPort });
    const redisAcl = { users: serviceAclUsers() };
    const kafka = await startChaosKafka(dir, log, kafkaPort, kafkaProxy.port);
    const redis = await startChaosRedis(dir, log, redisPort, redisAcl);
    const infra = new SingleNodeInfra(dir, log, kafka, kafkaPort, kafkaProxy, redis, redisPort, redisProxy, redisAcl);
    await provisionTopics(infra.kafkaBrokers, { connection: scramConnection(infra.credentials, KAFKA_ADMIN_USER) });
    return infra;
  }

  /** Ports the services must not take. */
  get ports(): number[] {
    return [this.kafkaPort, this.redisPort, this.kafkaProxy.port, this.redisProxy.port];
  }

  /** What the services and the checkers connect to: the proxies. */
  get kafkaBrokers(): string {
    return `127.0.0.1:${this.kafkaProxy.port}`;
  }

  private get credentials(): KafkaCredentials {
    const credentials = this.kafka.credentials;
    if (!credentials) throw new Error('the chaos broker runs secured: it has credentials');
    return credentials;
  }

  /** The broker's super user, for @expo/bus's createKafka: provisioning, the poison record, the checkers. */
  get kafkaAdmin(): Pick<KafkaOptions, 'brokers' | 'sasl'> {
    const password = this.credentials.passwords[KAFKA_ADMIN_USER];
    if (password === undefined) throw new Error(`no Kafka password for ${KAFKA_ADMIN_USER}`);
    return { brokers: this.kafkaBrokers, sasl: { mechanism: 'scram-sha-512', username: KAFKA_ADMIN_USER, password } };
  }

  /** Redis's admin through the proxy. */
  get redisUrl(): string {
    return this.proxiedRedisUrl(REDIS_ADMIN_USER);
  }

  /** Redis itself as its admin, past the proxy (for the harness's own SAVE). */
  get directRedisUrl(): string {
    const url = this.redis.userUrls[REDIS_ADMIN_USER];
    if (url === undefined) throw new Error('the chaos Redis runs with ACL users: it has an admin');
    return url;
  }

  /** What a service connects with: the proxies, its own Kafka user (the password as a file) and its own Redis user. */
  serviceEnv(service: string): NodeJS.ProcessEnv {
    return { KAFKA_BROKERS: this.kafkaBrokers, ...kafkaSaslEnv(this.credentials, service), REDIS_URL: this.proxiedRedisUrl(service) };
  }

  /** `user`'s URL of the running redis-server (its password), through the proxy. */
  private proxiedRedisUrl(user: string): string {
    const own = this.redis.userUrls[user];
    if (own === undefined) throw new Error(`the chaos Redis has no ACL user ${user}`);
    const url = new URL(own);
    url.port = String(this.redisProxy.port);
    return url.toString();
  }

  /** kill -9 of the broker's JVM. */
  async crashKafka(): Promise<void> {
    const pid = guardedChildPid(this.kafka.pid, 'java');
    if (pid !== null) process.kill(pid, 'SIGKILL');
    await this.kafka.stop();
  }

  /** The broker again on the same port with the same data. */
  async restartKafka(): Promise<void> {
    this.kafka = await startChaosKafka(this.dir, this.log, this.kafkaPort, this.kafkaProxy.port);
  }

  /** kill -9 of redis-server (nothing is persisted: it comes back empty unless a copy was saved). */
  async crashRedis(): Promise<void> {
    const pid = guardedChildPid(this.redis.pid, 'redis-server');
    if (pid !== null) process.kill(pid, 'SIGKILL');
    await this.redis.stop();
  }

  /**
   * redis-server again on the same port, with the same ACL users and passwords (kept in its data
   * folder); it loads the copy `saveRedisCopy` wrote, if any, and the copy is then removed.
   */
  async restartRedis(): Promise<void> {
    this.redis = await startChaosRedis(this.dir, this.log, this.redisPort, this.redisAcl);
    rmSync(join(this.dir, 'redis', 'dump.rdb'), { force: true });
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
    await Promise.all([this.kafka.stop(), this.redis.stop()]);
    await Promise.all([this.kafkaProxy.close(), this.redisProxy.close()]);
  }
}

/** The broker, secured: its users are made when its storage is first formatted, a restart finds them there. */
function startChaosKafka(dir: string, log: (line: string) => void, port: number, advertisedPort: number): Promise<RunningKafka> {
  // A broker killed with -9 recovers its logs on start, on cores the services keep busy retrying:
  // a long run saw one restart take over the default 60 s.
  return startKafka({ dataDir: join(dir, 'kafka'), port, advertisedPort, ownerPid: process.pid, log, startTimeoutMs: 240_000, secured: {} });
}

function startChaosRedis(dir: string, log: (line: string) => void, port: number, acl: RedisAclOptions): Promise<RunningRedis> {
  return startRedis({ dataDir: join(dir, 'redis'), port, ownerPid: process.pid, log, acl });
}
