import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RedisAclOptions, type RedisTls, type RunningRedis } from '@expo/infra';

/**
 * A redis-server of the test's own, for faults that would hit every other test on the shared one:
 * FLUSHALL, a stop and a start on the same port, a restart from an older copy of its data.
 */
export class DedicatedRedis {
  #running: RunningRedis | null = null;
  #port = 0;
  #urls: { url: string; users: Readonly<Record<string, string>> } = { url: '', users: {} };
  private constructor(
    private readonly dataDir: string,
    private readonly acl?: RedisAclOptions,
    private readonly tls?: RedisTls,
  ) {}

  /**
   * With `acl`, secured: `url` is the admin's, `userUrl(name)` each user's (see RedisAclOptions).
   * With `tls`, TLS only: the URLs are `rediss://` (see RedisOptions.tls).
   */
  static async start(options: { acl?: RedisAclOptions; tls?: RedisTls } = {}): Promise<DedicatedRedis> {
    const redis = new DedicatedRedis(mkdtempSync(join(tmpdir(), 'expo-test-redis-')), options.acl, options.tls);
    await redis.restart();
    return redis;
  }

  get url(): string {
    return this.#urls.url;
  }

  /** The URL of one ACL user of a secured Redis (the same across restarts). */
  userUrl(user: string): string {
    const url = this.#urls.users[user];
    if (!url) throw new Error(`no Redis ACL user "${user}" (started without acl)`);
    return url;
  }

  get port(): number {
    return this.#port;
  }

  /** Where the server keeps `dump.rdb`: a SAVE writes the copy a restart then loads. */
  get dir(): string {
    return this.dataDir;
  }

  async stop(): Promise<void> {
    await this.#running?.stop();
    this.#running = null;
  }

  /** Starts it (again) on the same port; it loads `dump.rdb` from its directory if one was saved. */
  async restart(): Promise<void> {
    await this.stop();
    this.#running = await startRedis({
      dataDir: this.dataDir,
      ownerPid: process.pid,
      ...(this.#port ? { port: this.#port } : {}),
      ...(this.acl ? { acl: this.acl } : {}),
      ...(this.tls ? { tls: this.tls } : {}),
    });
    this.#port = this.#running.port;
    this.#urls = { url: this.#running.url, users: this.#running.userUrls };
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
