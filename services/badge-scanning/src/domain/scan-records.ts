import { derivedRecordId, type TopicEventInput } from '@expo/bus';
import type { CountryCode, TOPICS } from '@expo/schemas';
import type { DecidedScan, Move } from './decided-scan.ts';

type ScanInput = TopicEventInput<typeof TOPICS.scans>;

interface ScanContext {
  readonly scanId: string;
  readonly eventId: string;
  readonly scannedAt: string;
  readonly offline: boolean;
}

/**
 * Record ids follow from the scan and the move, so a record Kafka took although the producer saw
 * a failure (the ack was lost) and the retry's identical record share one id: consumers dedupe on
 * the envelope id (docs/topics-and-envelope.md) and count the scan once.
 */
export function recordId(expoId: string, scanId: string, index: number, move: string): string {
  return derivedRecordId(expoId, scanId, index, move);
}

function inferredAt(decision: DecidedScan): string {
  return new Date(decision.scannedAtMs).toISOString();
}

function country(decision: DecidedScan): CountryCode | undefined {
  return (decision.person?.c as CountryCode | undefined) ?? undefined;
}

function acceptedMove(decision: DecidedScan, move: Move, context: ScanContext, index: number): ScanInput {
  const device = move.origin === 'device';
  return {
    id: recordId(context.eventId, context.scanId, index, `${move.origin}:${move.zoneId}:${move.direction}`),
    type: 'scan.accepted',
    eventId: context.eventId,
    occurredAt: context.scannedAt,
    data: {
      scanId: context.scanId,
      badgeId: decision.badgeId,
      attendeeId: decision.attendeeId ?? decision.badgeId,
      deviceId: device ? decision.deviceId : null,
      gateId: device ? decision.gateId : null,
      zoneId: move.zoneId,
      fromZoneId: move.fromZoneId,
      toZoneId: move.toZoneId,
      direction: move.direction,
      ...(decision.category ? { category: decision.category } : {}),
      ...(country(decision) ? { country: country(decision) } : {}),
      scannedAt: device ? context.scannedAt : inferredAt(decision),
      flags: {
        inferred: move.origin === 'inferred',
        offline: context.offline,
        ...(device && decision.conflict ? { conflict: decision.conflict } : {}),
        ...(device && decision.stale ? { stale: true } : {}),
      },
      origin: move.origin,
      occupancyAfter: Math.max(0, move.occupancyAfter),
      decision: 'accepted',
      reason: null,
    },
  };
}

/**
 * The records of one decided scan, in the order they happened: an accepted scan is its inferred
 * moves and its own move (one record per changed count); a rejection is one record.
 */
export function scanRecords(decision: DecidedScan, context: ScanContext): ScanInput[] {
  if (decision.decision === 'accepted') return decision.moves.map((move, i) => acceptedMove(decision, move, context, i));
  const zone = decision.zoneId;
  return [
    {
      id: recordId(context.eventId, context.scanId, 0, `rejected:${zone}:${decision.reason ?? ''}`),
      type: 'scan.rejected',
      eventId: context.eventId,
      occurredAt: context.scannedAt,
      data: {
        scanId: context.scanId,
        badgeId: decision.badgeId,
        attendeeId: decision.attendeeId,
        deviceId: decision.deviceId,
        gateId: decision.gateId,
        zoneId: zone,
        fromZoneId: decision.previousLocation,
        toZoneId: decision.previousLocation,
        direction: decision.direction,
        ...(decision.category ? { category: decision.category } : {}),
        ...(country(decision) ? { country: country(decision) } : {}),
        scannedAt: context.scannedAt,
        flags: { inferred: false, offline: context.offline },
        origin: 'device',
        occupancyAfter: Math.max(0, decision.occupancy),
        decision: 'rejected',
        reason: decision.reason ?? 'invalid_token',
      },
    },
  ];
}

interface AnnulContext {
  readonly scanId: string;
  readonly eventId: string;
  readonly annulledAtMs: number;
  /** The annulled zone's count after the annulment. */
  readonly occupancy: number;
}

/**
 * The `scan.annulled` record of an accepted device scan. Its id follows from the annulled scan, so
 * an annulment written again after a lost acknowledgement is the same record and subtracts once.
 */
export function annulRecord(decision: DecidedScan, context: AnnulContext): ScanInput {
  const own = decision.moves.find((m) => m.origin === 'device')!;
  return {
    id: recordId(context.eventId, context.scanId, -1, `annulled:${own.zoneId}`),
    type: 'scan.annulled',
    eventId: context.eventId,
    data: {
      scanId: context.scanId,
      badgeId: decision.badgeId,
      deviceId: decision.deviceId,
      zoneId: own.zoneId,
      direction: own.direction,
      fromZoneId: own.fromZoneId,
      toZoneId: own.toZoneId,
      annulledAt: new Date(context.annulledAtMs).toISOString(),
      occupancyAfter: Math.max(0, context.occupancy),
    },
  };
}
