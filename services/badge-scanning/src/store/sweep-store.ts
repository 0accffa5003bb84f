import type { RedisClient, ScriptRunner } from '@expo/service-kit';
import type { ScanningKeys } from './keys.ts';
import { decodeSweepReply, decodeUnconfirmedChunk, encodeSweepArgs, type SweptBadge, type UnconfirmedChunk } from './sweep-codec.ts';

export type { SweepStep, SweptBadge, UnconfirmedChunk } from './sweep-codec.ts';

/** Badges per sweep script call. */
const CHUNK = 500;

/**
 * The closing sweep's state: the script that walks a chunk of badges out, the chunks waiting for
 * Kafka's acknowledgement, the days already swept and the lease of the instance sweeping a day.
 */
export class SweepStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    private readonly keys: ScanningKeys,
  ) {}

  /** Chunks an earlier run applied but did not see acknowledged (killed midway, a timeout). */
  async unconfirmedChunks(): Promise<UnconfirmedChunk[]> {
    return Object.entries(await this.redis.hgetall(this.keys.sweepUnconfirmed())).map(([name, value]) => decodeUnconfirmedChunk(name, value));
  }

  /**
   * Walks out the next chunk of badges still inside (one script call), keeping it under `name`
   * until `confirm`; the next cursor is '0' once every badge has been seen.
   */
  async sweepChunk(cursor: string, atMs: number, name: string): Promise<{ cursor: string; swept: SweptBadge[] }> {
    const k = this.keys;
    const reply = await this.scripts.run(
      'sweep',
      [k.zoneMeta(), k.location(), k.occupancy(), k.lastMove(), k.badgeAttendee(), k.sweepUnconfirmed()],
      encodeSweepArgs({ cursor, chunkSize: CHUNK, atMs, chunkName: name }),
    );
    return decodeSweepReply(reply);
  }

  /** Kafka acknowledged the chunk's records: it is no longer written again. */
  async confirm(name: string): Promise<void> {
    await this.redis.hdel(this.keys.sweepUnconfirmed(), name);
  }

  async isSwept(day: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.sweptDays(), day)) === 1;
  }

  async markSwept(day: string, at: Date): Promise<void> {
    await this.redis.hset(this.keys.sweptDays(), day, at.toISOString());
  }

  /** Takes the day's lease (SET NX PX); false when another instance holds it. */
  async takeLease(day: string, token: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.sweepLease(day), token, 'PX', leaseMs, 'NX')) === 'OK';
  }

  async renewLease(day: string, token: string, leaseMs: number): Promise<void> {
    await this.redis.set(this.keys.sweepLease(day), token, 'PX', leaseMs, 'XX');
  }

  /** Lets the day's lease go if this holder still has it; never throws (the lease runs out anyway). */
  async releaseLease(day: string, token: string): Promise<void> {
    const lease = this.keys.sweepLease(day);
    if ((await this.redis.get(lease).catch(() => null)) === token) await this.redis.del(lease).catch(() => undefined);
  }
}
