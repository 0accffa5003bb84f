import type { RecordContext, TopicEvent } from '@expo/bus';
import { isUnverifiedBadgeId, type TOPICS } from '@expo/schemas';
import { bucketStart, HOUR_MS, MINUTE_MS, type ExpoCalendar } from './time.ts';

export type ScanEvent = TopicEvent<typeof TOPICS.scans>;

/** 0: on time; 1: after its bucket closed but within the grace (counted, and `late` in the bucket); 2: beyond the grace. */
export type Lateness = 0 | 1 | 2;

export interface LatePolicy {
  readonly graceMs: number;
  readonly closeDelayMs: number;
}

/**
 * How late a record is, from its own times (event time against the time it was recorded), never
 * from the clock of the consumer: a replay after a restart decides exactly as the first run did.
 */
export function latenessOf(eventMs: number, recordedMs: number, policy: LatePolicy): Lateness {
  if (recordedMs - eventMs > policy.graceMs) return 2;
  return recordedMs >= bucketStart(eventMs, 1) + MINUTE_MS + policy.closeDelayMs ? 1 : 0;
}

/**
 * One scan record as the positional tuple apply-scans.lua reads (1-based there): kind, envelope
 * id, dedupe hour, event ms, occupancyAfter, local day, zone, zone left, 1m/5m/1h bucket starts (the
 * script writes 1-minute buckets only; the coarser starts are kept for readers of the tuple),
 * badge, attendee, gate, lateness, unverified, category, country, reason, origin, offset, zone
 * entered, record key (offset and key: the log position the script skips at or below). A record is
 * one step through one gate (docs/zones-and-occupancy.md): an `in` enters its zone, an `out` leaves it, and no other
 * zone's count changes — `fromZoneId`/`toZoneId` name the parent on the other side of the gate,
 * which the badge never left (occupancy counts a zone with its insides).
 */
export type ScanTuple = [
  'a' | 'r' | 'n',
  string,
  number,
  number,
  number,
  string,
  string,
  string,
  number,
  number,
  number,
  string,
  string,
  string,
  Lateness,
  0 | 1,
  string,
  string,
  string,
  string,
  number,
  string,
  string,
];

/** Where a record sits in its partition: its offset, and the key whose records are applied in order. */
export type RecordPosition = Pick<RecordContext, 'offset' | 'key'>;

export function scanTuple(event: ScanEvent, position: RecordPosition, calendar: ExpoCalendar, policy: LatePolicy): ScanTuple {
  const d = event.data;
  const eventMs = Date.parse('annulledAt' in d ? d.annulledAt : d.scannedAt);
  const recordedMs = Date.parse(event.recordedAt);
  const kind = event.type === 'scan.accepted' ? 'a' : event.type === 'scan.rejected' ? 'r' : 'n';
  const attendee = 'attendeeId' in d ? (d.attendeeId ?? '') : '';
  const gate = 'gateId' in d ? (d.gateId ?? '') : '';
  const category = 'category' in d ? (d.category ?? '') : '';
  const country = 'country' in d ? (d.country ?? '') : '';
  const reason = 'reason' in d ? (d.reason ?? '') : '';
  const origin = 'origin' in d ? d.origin : 'device';
  return [
    kind,
    event.id,
    bucketStart(eventMs, 60) / HOUR_MS,
    eventMs,
    d.occupancyAfter,
    calendar.dayOf(eventMs),
    d.zoneId,
    d.direction === 'out' ? d.zoneId : '',
    bucketStart(eventMs, 1),
    bucketStart(eventMs, 5),
    bucketStart(eventMs, 60),
    d.badgeId,
    attendee,
    gate,
    latenessOf(eventMs, recordedMs, policy),
    isUnverifiedBadgeId(d.badgeId) ? 1 : 0,
    category,
    country,
    reason,
    origin,
    Number(position.offset),
    d.direction === 'in' ? d.zoneId : '',
    position.key ?? '',
  ];
}
