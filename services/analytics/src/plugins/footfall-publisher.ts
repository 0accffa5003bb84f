import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { TopicEventInput } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import { registerPeriodicTask } from '@expo/service-kit';
import { MINUTE_MS } from '../domain/time.ts';
import { claimClosedCall, decodeClaimedBuckets, type ClaimedBucket } from '../store/claim-closed-codec.ts';

export interface FootfallPublisherOptions {
  readonly topic: typeof TOPICS.footfall;
  readonly expoId: string;
  readonly closeDelayMs: number;
  readonly intervalMs: number;
  readonly now?: () => number;
  /** While false nothing is published: a bucket of a half-folded state would go out with partial figures. */
  readonly whole?: () => boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Publishes every closed 1-minute bucket changed since the last call; returns how many. */
    publishClosedBuckets(limit?: number): Promise<number>;
  }
}

type FootfallInput = TopicEventInput<typeof TOPICS.footfall>;

async function footfallPublisher(app: FastifyInstance, options: FootfallPublisherOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const { keys, store } = app.analytics;

  async function bucketRecord({ zoneId, start }: ClaimedBucket): Promise<FootfallInput | null> {
    const row = await store.bucket(zoneId, start);
    if (!row) return null;
    return {
      type: 'footfall.bucket_closed',
      eventId: options.expoId,
      occurredAt: new Date(start + MINUTE_MS).toISOString(),
      data: {
        zoneId,
        bucketStart: new Date(start).toISOString(),
        bucketMinutes: 1,
        entries: row.in,
        exits: row.out,
        peakOccupancy: row.peakOccupancy,
        uniqueVisitors: row.uniqueVisitors,
        late: row.late,
      },
    };
  }

  /**
   * At most `limit` buckets per call, so that a backlog (a replay, a long outage) is published a
   * share at a time beside consumption rather than starving it.
   */
  async function publishClosedBuckets(limit = 1000): Promise<number> {
    if (options.whole?.() === false) return 0;
    const closedBefore = now() - MINUTE_MS - options.closeDelayMs;
    const call = claimClosedCall(keys, { closedBefore, limit });
    const claimed = decodeClaimedBuckets(await app.redisScripts.run('claim-closed', call.keys, call.args), limit);
    if (claimed.length === 0) return 0;
    try {
      const records: FootfallInput[] = [];
      for (let i = 0; i < claimed.length; i += 100) {
        const rows = await Promise.all(claimed.slice(i, i + 100).map(bucketRecord));
        records.push(...rows.filter((r): r is FootfallInput => r !== null));
      }
      if (records.length > 0) await app.producer.send(options.topic, records);
      return records.length;
    } catch (error) {
      // Not published: mark them again so the next round retries.
      await app.redis.zadd(keys.dirty, ...claimed.flatMap(({ start, member }) => [start, member]));
      throw error;
    }
  }

  app.decorate('publishClosedBuckets', publishClosedBuckets);
  registerPeriodicTask(app, { name: 'footfall publisher', everyMs: options.intervalMs, run: () => publishClosedBuckets() });
}

export const footfallPublisherPlugin = fp(footfallPublisher, { name: 'footfall-publisher', dependencies: ['redis', 'kafka', 'analytics-store'] });
