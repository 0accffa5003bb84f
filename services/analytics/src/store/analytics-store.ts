import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import { ATTENDEE_CATEGORY_CODES, MEETING_STATUSES, REJECTION_REASONS, type FootfallBucket, type FootfallBucketRow, type SummaryResponse } from '@expo/schemas';
import { dwellDistribution, type DwellDistribution } from '../domain/dwell.ts';
import { BUCKET_MINUTES, MINUTE_MS, type ExpoCalendar } from '../domain/time.ts';
import type { ZoneInfo } from '../domain/zone-info.ts';
import { decodeFootfallRows, footfallCall } from './footfall-codec.ts';
import type { AnalyticsKeys } from './keys.ts';

export interface BucketFigures {
  readonly start: number;
  readonly in: number;
  readonly out: number;
  readonly peakOccupancy: number;
  readonly late: number;
}

export interface LiveZone {
  readonly zoneId: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly capacity: number | null;
  readonly occupancy: number;
  /** Seen in scans but absent from the zone tree. */
  readonly unknown: boolean;
}

const num = (v: string | undefined | null): number => (v ? Number(v) : 0);

/** Everything the routes and the dashboard read; the consumers' scripts are the only writers. */
export class AnalyticsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    private readonly keys: AnalyticsKeys,
    private readonly calendar: ExpoCalendar,
  ) {}

  /**
   * Buckets with any record of the zone in [from, to), oldest first, with their unique visitors.
   * Only 1-minute buckets are stored; 5-minute and 1-hour ones are rolled up in one script call next
   * to the data (sums of in, out and late, maximum peak), then each bucket's unique visitors are
   * counted in one pipelined round (PFCOUNT of its minutes' HyperLogLogs counts their union). The
   * script cannot count them itself: it would have to name keys it was not given.
   */
  async buckets(zoneId: string, bucket: FootfallBucket, from: number, to: number): Promise<Array<BucketFigures & { uniqueVisitors: number }>> {
    const size = BUCKET_MINUTES[bucket] * MINUTE_MS;
    const first = Math.floor(from / size) * size;
    const args = { zoneId, days: this.calendar.daysBetween(first, to), first, to, size };
    const call = footfallCall(this.keys, args);
    const rows: BucketFigures[] = decodeFootfallRows(await this.scripts.run('footfall', call.keys, call.args), args).map((row) => ({
      ...row,
      in: Math.max(0, row.in),
      out: Math.max(0, row.out),
    }));
    const uniques = await this.uniqueVisitors(
      zoneId,
      rows.map((r) => r.start),
      size,
    );
    return rows.map((row, i) => ({ ...row, uniqueVisitors: uniques[i] ?? 0 }));
  }

  /** Unique visitors of each bucket of `size` ms starting at `starts`: the union of its minutes' HyperLogLogs. */
  private async uniqueVisitors(zoneId: string, starts: readonly number[], size: number): Promise<number[]> {
    if (starts.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const start of starts) {
      const minutes = Array.from({ length: size / MINUTE_MS }, (_, m) => this.keys.bucketHll(zoneId, '1m', start + m * MINUTE_MS));
      pipeline.pfcount(minutes);
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, count]) => {
      if (error) throw error;
      return Number(count);
    });
  }

  /** One bucket's figures (what a closed bucket's record carries), or null when it has none. */
  async bucket(zoneId: string, start: number): Promise<(BucketFigures & { uniqueVisitors: number }) | null> {
    const key = this.keys.bucketHash(zoneId, '1m', this.calendar.dayOf(start));
    const [[i, o, p, l], uniqueVisitors] = await Promise.all([
      this.redis.hmget(key, `${start}:i`, `${start}:o`, `${start}:p`, `${start}:l`),
      this.redis.pfcount(this.keys.bucketHll(zoneId, '1m', start)),
    ]);
    if (i === null && o === null && p === null && l === null) return null;
    return { start, in: Math.max(0, num(i)), out: Math.max(0, num(o)), peakOccupancy: num(p), late: num(l), uniqueVisitors };
  }

  async footfall(zoneId: string, bucket: FootfallBucket, from: number, to: number): Promise<FootfallBucketRow[]> {
    const rows = await this.buckets(zoneId, bucket, from, to);
    return rows.map((row) => ({
      start: new Date(row.start).toISOString(),
      in: row.in,
      out: row.out,
      peakOccupancy: row.peakOccupancy,
      uniqueVisitors: row.uniqueVisitors,
    }));
  }

  async dwell(zoneId: string, day: string): Promise<DwellDistribution> {
    const hash = await this.redis.hgetall(this.keys.dwell(zoneId, day));
    return dwellDistribution(new Map(Object.entries(hash).map(([m, n]) => [Number(m), Number(n)])));
  }

  async days(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.days)).sort();
  }

  async zones(): Promise<Map<string, ZoneInfo>> {
    const raw = await this.redis.hgetall(this.keys.zones);
    return new Map(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json) as ZoneInfo]));
  }

  /** Every zone of the tree and every zone seen in scans, with the fold's occupancy. */
  async live(): Promise<LiveZone[]> {
    const [zones, occupancy, seen] = await Promise.all([this.zones(), this.redis.hgetall(this.keys.occupancy), this.redis.smembers(this.keys.zonesSeen)]);
    const ids = new Set([...zones.keys(), ...seen, ...Object.keys(occupancy)]);
    return [...ids].sort().map((zoneId) => {
      const info = zones.get(zoneId);
      return {
        zoneId,
        name: info?.name ?? zoneId,
        parentId: info?.parentId ?? null,
        capacity: info?.capacity ?? null,
        occupancy: num(occupancy[zoneId]),
        unknown: info === undefined,
      };
    });
  }

  /** Scans per minute over the last `minutes` minutes before `now`, in total and by gate. */
  async throughput(now: number, minutes: number): Promise<{ minutes: number[]; total: number[]; byGate: Record<string, number[]> }> {
    const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const starts = Array.from({ length: minutes }, (_, i) => end - (minutes - 1 - i) * MINUTE_MS);
    const days = [...new Set(starts.map((s) => this.calendar.dayOf(s)))];
    const [totals, gates] = await Promise.all([
      Promise.all(days.map((d) => this.redis.hgetall(this.keys.gateMinutes(d)))),
      Promise.all(days.map((d) => this.redis.hgetall(this.keys.gates(d)))),
    ]);
    const totalBy = Object.assign({}, ...totals) as Record<string, string>;
    const byGate: Record<string, number[]> = {};
    for (const hash of gates) {
      for (const [field, value] of Object.entries(hash)) {
        const [gate, start] = field.split('|');
        const i = starts.indexOf(Number(start));
        if (gate === undefined || i < 0) continue;
        (byGate[gate] ??= new Array<number>(minutes).fill(0))[i] = Number(value);
      }
    }
    return { minutes: starts, total: starts.map((s) => num(totalBy[String(s)])), byGate };
  }

  async summary(date: string | null): Promise<SummaryResponse & Record<string, unknown>> {
    const days = date ? [date] : await this.days();
    const [registered, totals, funnel, dayHashes, peakHashes, visitors, mixes, entered] = await Promise.all([
      this.redis.hgetall(this.keys.registered),
      this.redis.hgetall(this.keys.totals),
      this.redis.hgetall(this.keys.funnel),
      Promise.all(days.map((d) => this.redis.hgetall(this.keys.day(d)))),
      Promise.all(days.map((d) => this.redis.hgetall(this.keys.peaks(d)))),
      // Exact, not a HyperLogLog estimate: the badges that entered that day, or ever.
      date ? this.redis.scard(this.keys.visitors(date)) : this.redis.scard(this.keys.entered),
      Promise.all(days.map((d) => this.redis.hgetall(this.keys.mix(d)))),
      this.redis.scard(this.keys.entered),
    ]);
    const sum = (hashes: Array<Record<string, string>>, field: string) => hashes.reduce((s, h) => s + num(h[field]), 0);
    const peaks = new Map<string, { peakOccupancy: number; at: string | null }>();
    for (const hash of peakHashes) {
      for (const [field, value] of Object.entries(hash)) {
        if (field.endsWith('|at')) continue;
        const at = num(hash[`${field}|at`]);
        const old = peaks.get(field);
        if (!old || Number(value) > old.peakOccupancy) peaks.set(field, { peakOccupancy: Number(value), at: at ? new Date(at).toISOString() : null });
      }
    }
    const mix: Record<string, number> = {};
    for (const hash of mixes) for (const [field, value] of Object.entries(hash)) mix[field] = (mix[field] ?? 0) + Number(value);
    return {
      date,
      registrationsByCategory: Object.fromEntries(
        ATTENDEE_CATEGORY_CODES.map((c) => [c, num(registered[`category:${c}`])]),
      ) as SummaryResponse['registrationsByCategory'],
      uniqueVisitors: visitors,
      peakOccupancy: [...peaks.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([zoneId, p]) => ({ zoneId, ...p })),
      scans: {
        accepted: Math.max(0, sum(dayHashes, 'accepted') - sum(dayHashes, 'annulled')),
        rejected: sum(dayHashes, 'rejected'),
        rejectedByReason: Object.fromEntries(REJECTION_REASONS.map((r) => [r, sum(dayHashes, `rej:${r}`)])) as SummaryResponse['scans']['rejectedByReason'],
      },
      meetingsByStatus: Object.fromEntries(MEETING_STATUSES.map((s) => [s, num(totals[`meetings:${s}`])])) as SummaryResponse['meetingsByStatus'],
      intendedTurnoverUsd: num(totals['turnover-cents']) / 100,
      productDebuts: num(totals['product-debuts']),
      funnel: { registered: num(registered.total), badgeIssued: num(funnel.badged), firstEntry: entered },
      visitorMix: mix,
      late: sum(dayHashes, 'too-late'),
    };
  }
}
