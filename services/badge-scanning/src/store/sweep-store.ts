import type { RedisClient, ScriptRunner } from '@expo/service-kit';
import type { ScanningKeys } from './keys.ts';

/** One step of a badge walked out: `[zoneId, 'out', from, to, occupancy after]` (`to` '' is outside). */
export type SweepStep = [string, 'out', string, string, number];

/** A badge one chunk walked out, as sweep.lua gives it: badge, attendee, where it was, its steps. */
export interface SweptBadge {
  readonly b: string;
  readonly a: string;
  readonly prev: string;
  readonly m: SweepStep[];
}

/** A chunk applied in Redis whose records Kafka has not acknowledged yet. */
export interface UnconfirmedChunk {
  readonly name: string;
  readonly atMs: number;
  readonly swept: SweptBadge[];
}

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
    return Object.entries(await this.redis.hgetall(this.keys.sweepUnconfirmed())).map(([name, value]) => {
      const bar = value.indexOf('|');
      return { name, atMs: Number(value.slice(0, bar)), swept: JSON.parse(value.slice(bar + 1)) as SweptBadge[] };
    });
  }

  /**
   * Walks out the next chunk of badges still inside (one script call), keeping it under `name`
   * until `confirm`; the next cursor is '0' once every badge has been seen.
   */
  async sweepChunk(cursor: string, atMs: number, name: string): Promise<{ cursor: string; swept: SweptBadge[] }> {
    const k = this.keys;
    const [next, json] = await this.scripts.run<[string, string]>(
      'sweep',
      [k.zoneMeta(), k.location(), k.occupancy(), k.lastMove(), k.badgeAttendee(), k.sweepUnconfirmed()],
      [cursor, CHUNK, atMs, name],
    );
    const swept = JSON.parse(json) as SweptBadge[] | Record<string, never>;
    return { cursor: next, swept: Array.isArray(swept) ? swept : [] };
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
