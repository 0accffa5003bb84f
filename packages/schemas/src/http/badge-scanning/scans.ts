import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { DisplayName, Id, NonNegativeInt } from '../../primitives.ts';
import { AttendeeCategory } from '../../vocab/attendee-categories.ts';
import { RejectionReason, ScanDecision } from '../../vocab/scan-decisions.ts';
import { ScanDirection } from '../../vocab/scan-directions.ts';

/** One scan as a device posts it (docs/http.md): the device chooses `scanId`, so a retry is the same scan. */
export const ScanRequest = z.object({
  scanId: z.uuid(),
  badgeToken: z.string().min(1).max(2048),
  direction: ScanDirection,
  scannedAt: IsoDateTime,
  /** The gate the device believes it serves; when given it must be the key's gate (else 403). */
  gateId: Id.optional(),
});
export type ScanRequest = z.infer<typeof ScanRequest>;

/** The badge as the gate display shows it; null when the token could not be read. */
export const ScannedBadge = z.object({
  badgeId: Id,
  category: AttendeeCategory,
  displayName: DisplayName,
});
export type ScannedBadge = z.infer<typeof ScannedBadge>;

/**
 * The answer to every decided scan, accepted or rejected (200 either way). `replayed` is true when
 * the scanId was seen before: the first decision is repeated and nothing is counted again.
 * `capacity` is null for a zone without a limit.
 */
export const ScanResult = z.object({
  scanId: z.uuid(),
  decision: ScanDecision,
  reason: RejectionReason.nullable(),
  zoneId: Id,
  occupancy: NonNegativeInt,
  capacity: z.number().int().positive().nullable(),
  replayed: z.boolean(),
  badge: ScannedBadge.nullable(),
});
export type ScanResult = z.infer<typeof ScanResult>;

export const MAX_SCAN_BATCH = 1000;

/** `POST /v1/scans/batch`: offline scans in the order the device made them. */
export const ScanBatchRequest = z.object({ scans: z.array(ScanRequest).min(1).max(MAX_SCAN_BATCH) });
export type ScanBatchRequest = z.infer<typeof ScanBatchRequest>;

/** One result per scan, in request order. */
export const ScanBatchResponse = z.object({ results: z.array(ScanResult) });
export type ScanBatchResponse = z.infer<typeof ScanBatchResponse>;

/** `POST /v1/scans/:scanId/annul`. */
export const ScanParams = z.object({ scanId: z.uuid() });
export type ScanParams = z.infer<typeof ScanParams>;

export const AnnulScanResponse = z.object({
  scanId: z.uuid(),
  annulled: z.literal(true),
  zoneId: Id,
  occupancy: NonNegativeInt,
  capacity: z.number().int().positive().nullable(),
});
export type AnnulScanResponse = z.infer<typeof AnnulScanResponse>;
