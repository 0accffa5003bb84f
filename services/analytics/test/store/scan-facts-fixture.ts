import type { ScanFacts } from '../../src/domain/scan-facts.ts';
import type { ExpoCalendar } from '../../src/domain/time.ts';

const MINUTE_MS = 60_000;

/**
 * A builder of scans as apply-scans.lua takes them: an on-time accepted device entry of `b-1` into
 * `hall-1` at `eventMs`, changed by `fields`; offsets follow the order built, record ids end in `suffix`.
 */
export function scanFactsBuilder(calendar: ExpoCalendar, suffix: string, eventMs: number): (fields?: Partial<ScanFacts>) => ScanFacts {
  let offset = 0;
  return (fields = {}) => {
    const at = fields.eventMs ?? eventMs;
    const zoneId = fields.zoneId ?? 'hall-1';
    const badgeId = fields.badgeId ?? 'b-1';
    return {
      kind: 'accepted',
      recordId: `rec-${offset}-${suffix}`,
      eventMs: at,
      occupancyAfter: 1,
      day: calendar.dayOf(at),
      zoneId,
      zoneLeft: null,
      zoneEntered: zoneId,
      minuteStart: Math.floor(at / MINUTE_MS) * MINUTE_MS,
      badgeId,
      attendeeId: null,
      gateId: null,
      lateness: 0,
      unverified: false,
      category: null,
      country: null,
      reason: null,
      origin: 'device',
      offset: offset++,
      recordKey: badgeId,
      ...fields,
    };
  };
}
