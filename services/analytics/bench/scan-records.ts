import { randomUUID } from 'node:crypto';
import { HEADER_SCHEMA_VERSION, HEADER_TYPE, type BusProducer } from '@expo/bus';
import { REJECTION_REASONS } from '@expo/schemas';

export type Message = Parameters<BusProducer['sendRaw']>[1][number];

export const BENCH_ZONES = Array.from({ length: 8 }, (_, i) => `hall-${i + 1}`);
const DAY_STARTS = Array.from({ length: 6 }, (_, d) => Date.parse('2024-11-04T16:00:00Z') + d * 86_400_000);
const MIN = 60_000;

interface Scan {
  kind: 'accepted' | 'rejected';
  at: number;
  badge: string;
  zone: string;
  direction: 'in' | 'out';
  reason?: string;
}

/** Raw records as badge-scanning writes them (valid envelopes), without the cost of building them with zod. */
export function scanMessage(s: Scan, occupancyAfter: number, expoId: string): Message {
  const time = new Date(s.at).toISOString();
  const data = {
    scanId: randomUUID(),
    badgeId: s.badge,
    attendeeId: s.badge.replace('b-', 'a-'),
    deviceId: `dev-${s.zone}`,
    gateId: `${s.zone}-gate`,
    zoneId: s.zone,
    fromZoneId: s.direction === 'out' ? s.zone : null,
    toZoneId: s.direction === 'in' ? s.zone : null,
    direction: s.direction,
    category: 'buyer',
    country: 'CN',
    scannedAt: time,
    flags: { inferred: false, offline: false },
    origin: 'device',
    occupancyAfter,
    decision: s.kind,
    reason: s.kind === 'rejected' ? s.reason : null,
  };
  const type = `scan.${s.kind}`;
  const envelope = {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    eventId: expoId,
    source: 'badge-scanning',
    occurredAt: time,
    recordedAt: new Date().toISOString(),
    data,
  };
  return { key: s.badge, value: JSON.stringify(envelope), headers: { [HEADER_TYPE]: type, [HEADER_SCHEMA_VERSION]: '1' } };
}

/**
 * `count` scan records of visitors over the expo's six days, in about the order a scan log has
 * them (arrivals through the day, day after day): each enters a hall and leaves it after a while,
 * one in twenty is first turned away. Yields chunks sorted by time (bounded memory).
 */
export function* scanChunks(count: number, expoId: string, chunk = 5000): Generator<Message[]> {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const occupancy = new Map<string, number>();
  let out: Array<{ at: number; message: Message }> = [];
  let made = 0;
  const visitors = Math.ceil(count / 2.05);
  const perDay = Math.ceil(visitors / DAY_STARTS.length);
  for (let v = 0; made < count; v++) {
    const badge = `b-${v}`;
    const zone = BENCH_ZONES[v % BENCH_ZONES.length]!;
    const day = Math.min(DAY_STARTS.length - 1, Math.floor(v / perDay));
    const enter = DAY_STARTS[day]! + 9 * 60 * MIN + Math.floor(((v % perDay) / perDay) * 9 * 60 * MIN);
    const scans: Scan[] = [];
    if (rnd() < 0.05)
      scans.push({ kind: 'rejected', at: enter - 20_000, badge, zone, direction: 'in', reason: REJECTION_REASONS[v % REJECTION_REASONS.length]! });
    scans.push({ kind: 'accepted', at: enter, badge, zone, direction: 'in' });
    scans.push({ kind: 'accepted', at: enter + Math.floor(rnd() * 180 * MIN), badge, zone, direction: 'out' });
    for (const s of scans.slice(0, count - made)) {
      const now = Math.max(0, (occupancy.get(zone) ?? 0) + (s.kind === 'accepted' ? (s.direction === 'in' ? 1 : -1) : 0));
      occupancy.set(zone, now);
      out.push({ at: s.at, message: scanMessage(s, now, expoId) });
      made++;
    }
    if (out.length >= chunk) {
      yield out.sort((a, b) => a.at - b.at).map((m) => m.message);
      out = [];
    }
  }
  if (out.length > 0) yield out.sort((a, b) => a.at - b.at).map((m) => m.message);
}

export function liveEntry(i: number, expoId: string): Message {
  return scanMessage({ kind: 'accepted', at: Date.now(), badge: `live-${i}`, zone: 'bench-live', direction: 'in' }, i + 1, expoId);
}
