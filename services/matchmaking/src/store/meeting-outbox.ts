import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import type { MatchmakingKeys } from './keys.ts';

/**
 * Meetings whose latest change Kafka has not acknowledged (a send timed out: the record may land
 * later, or never): a sorted set of meetingIds by when. The outbox writer writes their current
 * snapshot again, with the same record id, until Kafka acknowledges it. Writes are guarded scripts.
 */
export class MeetingOutbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    private readonly keys: MatchmakingKeys,
  ) {}

  async add(meetingIds: readonly string[], now: number): Promise<void> {
    if (meetingIds.length === 0) return;
    await this.scripts.run<number>('queue-unconfirmed', [this.keys.outbox()], [now, ...meetingIds]);
  }

  /** Meetings waiting since before `before` (their own request had its chance), oldest first. */
  async due(before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.outbox(), '-inf', before, 'LIMIT', 0, limit);
  }

  /** Every waiting meeting with when it was queued. */
  async all(): Promise<Map<string, number>> {
    const flat = await this.redis.zrange(this.keys.outbox(), 0, -1, 'WITHSCORES');
    const out = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, Number(flat[i + 1]));
    return out;
  }

  /** Kafka acknowledged `raw` for the meeting: it leaves the outbox unless it changed since. */
  async settle(meetingId: string, raw: string): Promise<boolean> {
    return (await this.scripts.run<number>('settle-unconfirmed', [this.keys.outbox(), this.keys.meeting(meetingId)], [meetingId, raw])) === 1;
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.keys.outbox());
  }
}
