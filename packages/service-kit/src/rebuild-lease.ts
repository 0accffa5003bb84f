import { randomUUID } from 'node:crypto';
import type { ScriptRunner, StateKeys } from './redis-scripts.ts';

/** The rebuild lease was lost (expired while paused, taken over, or Redis flushed): stop writing. */
export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`the rebuild lease of ${what} was lost; another instance rebuilds`);
    this.name = 'LeaseLostError';
  }
}

/** What Redis and the clock say the state was made whole in; written with the marker. */
export interface MarkerFields {
  readonly runId: string;
  readonly evictedKeys: number;
}

/**
 * One instance's hold on a service's rebuild: a Redis key with a fencing token and an expiry,
 * renewed while the rebuild runs. Only the holder may declare the state whole (a compare on the
 * token in state-finish.lua), so a rebuilder that was paused past its expiry while another took
 * over cannot mark a state it did not build; it finds out at its next checkpoint and stops.
 */
export class RebuildLease {
  readonly token = randomUUID();
  #timer: NodeJS.Timeout | null = null;
  #lost = false;

  private constructor(
    private readonly scripts: ScriptRunner,
    private readonly keys: StateKeys,
    private readonly leaseMs: number,
    private readonly what: string,
  ) {}

  /**
   * The lease, or null while another instance holds it or the state is no longer the one judged
   * (`judgedEpoch`: the marker's epoch, '' when there was none). Taking it removes the marker.
   */
  static async acquire(scripts: ScriptRunner, keys: StateKeys, leaseMs: number, what: string, judgedEpoch: string): Promise<RebuildLease | null> {
    const lease = new RebuildLease(scripts, keys, leaseMs, what);
    const taken = await scripts.run<number>('state-acquire', [keys.lease, keys.marker], [lease.token, leaseMs, judgedEpoch]);
    if (taken !== 1) return null;
    lease.#timer = setInterval(() => void lease.checkpoint().catch(() => undefined), Math.max(100, Math.floor(leaseMs / 3)));
    lease.#timer.unref();
    return lease;
  }

  /** Renews the lease now; throws LeaseLostError once it is no longer this holder's. */
  async checkpoint(): Promise<void> {
    if (this.#lost) throw new LeaseLostError(this.what);
    const renewed = await this.scripts.run<number>('state-renew', [this.keys.lease], [this.token, this.leaseMs]);
    if (renewed !== 1) {
      this.#lost = true;
      this.stop();
      throw new LeaseLostError(this.what);
    }
  }

  /** Writes the marker (the state is whole) and frees the lease, if still held; else LeaseLostError. */
  async finish(epoch: string, fields: MarkerFields): Promise<void> {
    this.stop();
    const done = await this.scripts.run<number>(
      'state-finish',
      [this.keys.lease, this.keys.marker],
      [this.token, epoch, fields.runId, fields.evictedKeys, new Date().toISOString()],
    );
    if (done !== 1) throw new LeaseLostError(this.what);
  }

  /** Frees the lease if still held (a failed rebuild, a closing instance): another may start at once. */
  async release(): Promise<void> {
    this.stop();
    await this.scripts.run('state-release', [this.keys.lease], [this.token]).catch(() => undefined);
  }

  private stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
