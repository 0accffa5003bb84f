import type { Redis } from 'ioredis';
import type { ScriptRunner } from '@expo/service-kit';
import { ATTENDEE_CATEGORY_CODES, MEETING_STATUSES, REJECTION_REASONS, type FootfallBucket, type FootfallBucketRow, type SummaryResponse } from '@expo/schemas';
import { dwellDistribution, type DwellDistribution } from '../domain/dwell.ts';
import { BUCKET_MINUTES, MINUTE_MS, type ExpoCalendar } from '../domain/time.ts';
import type { ZoneInfo } from '../consumers/zones.ts';
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

/** Parses a bucket hash (`<start>:<i|o|p|l>` fields) into figures by bucket start. */
function parseBuckets(hash: Record<string, string>): Map<number, { in: number; out: number; peak: number; late: number }> {
  const rows = new Map<number, { in: number; out: number; peak: number; late: number }>();
  for (const [field, value] of Object.entries(hash)) {
    const [start, kind] = field.split(':');
    const at = Number(start);
    const row = rows.get(at) ?? { in: 0, out: 0, peak: 0, late: 0 };
    if (kind === 'i') row.in = Number(value);
    else if (kind === 'o') row.out = Number(value);
    else if (kind === 'p') row.peak = Number(value);
    else if (kind === 'l') row.late = Number(value);
    rows.set(at, row);
  }
  return rows;
}

/** Everything the routes and the dashboard read; the consumers' scripts are the only writers. */
export class AnalyticsStore {
  constructor(
    private readonly redis: Redis,
    private readonly scripts: ScriptRunner,
    private readonly keys: AnalyticsKeys,
    private readonly calendar: ExpoCalendar,
  ) {}

  /**
   * Buckets with any record of the zone in [from, to), oldest first. Only 1-minute buckets are
   * stored; 5-minute and 1-hour ones are rolled up here (sums of in, out and late, maximum peak).
   */
  async buckets(zoneId: string, bucket: FootfallBucket, from: number, to: number): Promise<BucketFigures[]> {
    const size = BUCKET_MINUTES[bucket] * MINUTE_MS;
    const first = Math.floor(from / size) * size;
    const days = this.calendar.daysBetween(first, to);
    const hashes = await Promise.all(days.map((day) => this.redis.hgetall(this.keys.bucketHash(zoneId, '1m', day))));
    const rows = new Map<number, { in: number; out: number; peak: number; late: number }>();
    for (const hash of hashes) {
      for (const [minute, r] of parseBuckets(hash)) {
        if (minute < first || minute >= to) continue;
        const start = Math.floor(minute / size) * size;
        const row = rows.get(start) ?? { in: 0, out: 0, peak: 0, late: 0 };
        rows.set(start, { in: row.in + r.in, out: row.out + r.out, peak: Math.max(row.peak, r.peak), late: row.late + r.late });
      }
    }
    return [...rows.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, r]) => ({ start, in: Math.max(0, r.in), out: Math.max(0, r.out), peakOccupancy: r.peak, late: r.late }));
  }

  /** The 1-minute HyperLogLogs a bucket is the union of (PFCOUNT of several keys counts the union). */
  private minuteHlls(zoneId: string, bucket: FootfallBucket, start: number): string[] {
    return Array.from({ length: BUCKET_MINUTES[bucket] }, (_, i) => this.keys.bucketHll(zoneId, '1m', start + i * MINUTE_MS));
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
    const hlls = rows.map((row) => this.minuteHlls(zoneId, bucket, row.start));
    const counts = rows.length > 0 ? await this.scripts.run<number[]>('count-unique', hlls.flat(), hlls.map((k) => k.length)) : [];
    return rows.map((row, i) => ({
      start: new Date(row.start).toISOString(),
      in: row.in,
      out: row.out,
      peakOccupancy: row.peakOccupancy,
      uniqueVisitors: counts[i] ?? 0,
    }));
  }

  async dwell(zoneId: string, day: string): Promise<DwellDistribution> {
    const hash = await this.redis.hgetall(this.keys.dwell(zoneId, day));
    return dwellDistribution(new Map(Object.entries(hash).map(([m, n]) => [Number(m), Number(n)])));
  }

  async days(): Promise<string[]> {
    return (await this.redis.smembers(`${this.keys.prefix}days`)).sort();
  }

  async zones(): Promise<Map<string, ZoneInfo>> {
    const raw = await this.redis.hgetall(this.keys.zones);
    return new Map(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json) as ZoneInfo]));
  }

  /** Every zone of the tree and every zone seen in scans, with the fold's occupancy. */
  async live(): Promise<LiveZone[]> {
    const [zones, occupancy, seen] = await Promise.all([
      this.zones(),
      this.redis.hgetall(this.keys.occupancy),
      this.redis.smembers(this.keys.zonesSeen),
    ]);
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
      this.redis.hgetall(`${this.keys.prefix}registered`),
      this.redis.hgetall(`${this.keys.prefix}totals`),
      this.redis.hgetall(`${this.keys.prefix}funnel`),
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
      registrationsByCategory: Object.fromEntries(ATTENDEE_CATEGORY_CODES.map((c) => [c, num(registered[`category:${c}`])])) as SummaryResponse['registrationsByCategory'],
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
