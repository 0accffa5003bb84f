import type { RecordContext, TopicEvent } from '@expo/bus';
import { isUnverifiedBadgeId, type AttendeeCategory, type CountryCode, type RejectionReason, type ScanOrigin, type TOPICS } from '@expo/schemas';
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
 * What the figures take of one scan record (apply-scans.lua folds them; store/apply-scans-codec.ts
 * lays them out for it). A record is one step through one gate (docs/zones-and-occupancy.md): an
 * `in` enters its zone, an `out` leaves it, and no other zone's count changes — `fromZoneId`/
 * `toZoneId` name the parent on the other side of the gate, which the badge never left (occupancy
 * counts a zone with its insides).
 */
export interface ScanFacts {
  readonly kind: 'accepted' | 'rejected' | 'annulled';
  /** The envelope id: the second guard against a record written to the log twice. */
  readonly recordId: string;
  /** scannedAt, or annulledAt for an annulment (docs/analytics.md). */
  readonly eventMs: number;
  readonly occupancyAfter: number;
  /** The expo's local day of eventMs. */
  readonly day: string;
  readonly zoneId: string;
  /** The record's zone when the step leaves it, when it enters it; else null. */
  readonly zoneLeft: string | null;
  readonly zoneEntered: string | null;
  /** Start of the 1-minute bucket of eventMs (5-minute and 1-hour figures are rollups of these). */
  readonly minuteStart: number;
  readonly badgeId: string;
  readonly attendeeId: string | null;
  readonly gateId: string | null;
  readonly lateness: Lateness;
  /** A scan whose token could not be verified: counted, never a visitor. */
  readonly unverified: boolean;
  readonly category: AttendeeCategory | null;
  readonly country: CountryCode | null;
  readonly reason: RejectionReason | null;
  readonly origin: ScanOrigin;
  /** The record's log position: the script skips a record at or below its key's stored offset. */
  readonly offset: number;
  readonly recordKey: string;
}

/** Where a record sits in its partition: its offset, and the key whose records are applied in order. */
export type RecordPosition = Pick<RecordContext, 'offset' | 'key'>;

export function scanFacts(event: ScanEvent, position: RecordPosition, calendar: ExpoCalendar, policy: LatePolicy): ScanFacts {
  const d = event.data;
  const eventMs = Date.parse('annulledAt' in d ? d.annulledAt : d.scannedAt);
  return {
    kind: event.type === 'scan.accepted' ? 'accepted' : event.type === 'scan.rejected' ? 'rejected' : 'annulled',
    recordId: event.id,
    eventMs,
    occupancyAfter: d.occupancyAfter,
    day: calendar.dayOf(eventMs),
    zoneId: d.zoneId,
    zoneLeft: d.direction === 'out' ? d.zoneId : null,
    zoneEntered: d.direction === 'in' ? d.zoneId : null,
    minuteStart: bucketStart(eventMs, 1),
    badgeId: d.badgeId,
    attendeeId: ('attendeeId' in d && d.attendeeId) || null,
    gateId: ('gateId' in d && d.gateId) || null,
    lateness: latenessOf(eventMs, Date.parse(event.recordedAt), policy),
    unverified: isUnverifiedBadgeId(d.badgeId),
    category: ('category' in d && d.category) || null,
    country: ('country' in d && d.country) || null,
    reason: ('reason' in d && d.reason) || null,
    origin: 'origin' in d ? d.origin : 'device',
    offset: Number(position.offset),
    recordKey: position.key ?? '',
  };
}

/** The hour whose dedupe marks hold a record's envelope id (the marks are kept per hour of event time). */
export function dedupeHourOf(eventMs: number): number {
  return bucketStart(eventMs, 60) / HOUR_MS;
}
