import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { Id, NonNegativeInt } from '../primitives.ts';
import { AttendeeCategory } from '../vocab/attendee-categories.ts';
import { CountryCode } from '../vocab/countries.ts';
import { RejectionReason } from '../vocab/scan-decisions.ts';
import { ScanDirection } from '../vocab/scan-directions.ts';

/**
 * `scanning.scans.v1` is keyed by badgeId so one visitor's moves stay in order on one partition.
 * A scan whose token could not be read or whose signature did not verify has no trustworthy badge
 * id; it is then recorded with `badgeId` = `unverified:<scanId>` (and `attendeeId` null) rather
 * than null, so the key is always a plain string field and a forged token cannot file its scans
 * under a real visitor's badge. Count visitors with `isUnverifiedBadgeId` excluded.
 */
export const UNVERIFIED_BADGE_PREFIX = 'unverified:';

export function unverifiedBadgeId(scanId: string): string {
  return `${UNVERIFIED_BADGE_PREFIX}${scanId}`;
}

export function isUnverifiedBadgeId(badgeId: string): boolean {
  return badgeId.startsWith(UNVERIFIED_BADGE_PREFIX);
}

/**
 * `device`: a scanner's scan. `inferred`: a move the platform recorded under soft anti-passback
 * (the badge turned up elsewhere, so it must have left through a door without a scanner).
 * `sweep`: the closing-time move of everyone still inside, so each day starts at zero.
 */
export const SCAN_ORIGINS = ['device', 'inferred', 'sweep'] as const;
export const ScanOrigin = z.enum(SCAN_ORIGINS);
export type ScanOrigin = z.infer<typeof ScanOrigin>;

export const ScanFlags = z.object({
  inferred: z.boolean(),
  /** Arrived in an offline batch: decided after the fact, never denied for capacity. */
  offline: z.boolean(),
  /** On an offline scan, what the platform would have refused online (it was recorded anyway). */
  conflict: RejectionReason.optional(),
  /**
   * An offline scan older than the badge's last recorded move: counted in its own time, after which
   * the badge is moved back (inferred) to where the newer scan had put it.
   */
  stale: z.boolean().optional(),
});
export type ScanFlags = z.infer<typeof ScanFlags>;

/** Ids and coarse attributes only (promise 8, docs/promises.md): no names, emails or notes. */
const ScanFields = z.object({
  scanId: Id,
  badgeId: Id,
  /** null only for platform-made moves (`inferred`, `sweep`), which have no device or gate. */
  deviceId: Id.nullable(),
  gateId: Id.nullable(),
  /** The zone the gate leads into: the zone entered (`in`) or left (`out`). */
  zoneId: Id,
  /** The move, null meaning outside the venue. */
  fromZoneId: Id.nullable(),
  toZoneId: Id.nullable(),
  direction: ScanDirection,
  category: AttendeeCategory.optional(),
  country: CountryCode.optional(),
  /** The device's clock for device scans; also the envelope's occurredAt. */
  scannedAt: IsoDateTime,
  flags: ScanFlags,
  origin: ScanOrigin,
  /** The zone's count after this record: a reader can check its own fold against it. */
  occupancyAfter: NonNegativeInt,
});

export const ScanAccepted = defineEvent(
  'scan.accepted',
  1,
  ScanFields.extend({
    attendeeId: Id,
    decision: z.literal('accepted'),
    reason: z.null(),
  })
    .refine((s) => s.flags.inferred === (s.origin === 'inferred'), {
      message: 'flags.inferred must be true exactly when origin is inferred',
      path: ['flags', 'inferred'],
    })
    .refine((s) => (s.origin === 'device') === (s.deviceId !== null && s.gateId !== null), {
      message: 'deviceId and gateId are set exactly when origin is device',
      path: ['deviceId'],
    }),
);

/** Only device scans are ever rejected: platform-made moves record what already happened. */
export const ScanRejected = defineEvent(
  'scan.rejected',
  1,
  ScanFields.extend({
    attendeeId: Id.nullable(),
    deviceId: Id,
    gateId: Id,
    origin: z.literal('device'),
    flags: ScanFlags.extend({ inferred: z.literal(false) }),
    decision: z.literal('rejected'),
    reason: RejectionReason,
  }),
);

/**
 * The undo of an accepted device scan (the turnstile did not turn). It repeats the move it undoes,
 * so a reader folding the log into occupancy needs no lookup of the original scan.
 */
export const ScanAnnulled = defineEvent(
  'scan.annulled',
  1,
  z.object({
    scanId: Id,
    badgeId: Id,
    deviceId: Id,
    zoneId: Id,
    direction: ScanDirection,
    fromZoneId: Id.nullable(),
    toZoneId: Id.nullable(),
    annulledAt: IsoDateTime,
    occupancyAfter: NonNegativeInt,
  }),
);

export const SCAN_EVENTS = [ScanAccepted, ScanRejected, ScanAnnulled] as const;
