import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, guardedChildPid, provisionTopics, startKafka, startRedis, type RunningKafka, type RunningRedis } from '@expo/infra';
import { TcpProxy } from './tcp-proxy.ts';

/**
 * One Kafka broker and one Redis owned by the chaos run (so their faults touch nothing else), each
 * behind a TCP proxy that every service connects through (latency, dropped connections).
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
  ) {}

  static async start(dir: string, log: (line: string) => void): Promise<SingleNodeInfra> {
    const kafkaPort = await freePort();
    const redisPort = await freePort([kafkaPort]);
    // The proxies listen before the broker starts: it advertises the proxy's port, so every
    // client's connections after bootstrap go through it as well.
    const kafkaProxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: kafkaPort });
    const redisProxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: redisPort });
    const kafka = await startChaosKafka(dir, log, kafkaPort, kafkaProxy.port);
    const redis = await startRedis({ dataDir: join(dir, 'redis'), port: redisPort, ownerPid: process.pid, log });
    await provisionTopics(`127.0.0.1:${kafkaProxy.port}`);
    return new SingleNodeInfra(dir, log, kafka, kafkaPort, kafkaProxy, redis, redisPort, redisProxy);
  }

  /** Ports the services must not take. */
  get ports(): number[] {
    return [this.kafkaPort, this.redisPort, this.kafkaProxy.port, this.redisProxy.port];
  }

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

  /** redis-server again on the same port; it loads the copy `saveRedisCopy` wrote, if any, and the copy is then removed. */
  async restartRedis(): Promise<void> {
    const dataDir = join(this.dir, 'redis');
    this.redis = await startRedis({ dataDir, port: this.redisPort, ownerPid: process.pid, log: this.log });
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
    await Promise.all([this.kafka.stop(), this.redis.stop()]);
    await Promise.all([this.kafkaProxy.close(), this.redisProxy.close()]);
  }
}

function startChaosKafka(dir: string, log: (line: string) => void, port: number, advertisedPort: number): Promise<RunningKafka> {
  // A broker killed with -9 recovers its logs on start, on cores the services keep busy retrying:
  // a long run saw one restart take over the default 60 s.
  return startKafka({ dataDir: join(dir, 'kafka'), port, advertisedPort, ownerPid: process.pid, log, startTimeoutMs: 240_000 });
}
