import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RunningRedis } from '@expo/infra';

/**
 * A redis-server of the test's own, for faults that would hit every other test on the shared one:
 * FLUSHALL, a stop and a start on the same port, a restart from an older copy of its data.
 */
export class DedicatedRedis {
  #running: RunningRedis | null = null;
  #port = 0;
  private constructor(private readonly dataDir: string) {}

  static async start(): Promise<DedicatedRedis> {
    const redis = new DedicatedRedis(mkdtempSync(join(tmpdir(), 'expo-test-redis-')));
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.#port}`;
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
    this.#running = await startRedis({ dataDir: this.dataDir, ownerPid: process.pid, ...(this.#port ? { port: this.#port } : {}) });
    this.#port = Number(this.#running.url.split(':').at(-1));
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
