import { expoKeys } from '@expo/service-kit';

const SERVICE = 'scan';

/**
 * Badge-scanning's Redis keys for one expo, all under its `{expoId}` hash tag so one Lua script
 * may touch every key of a scan (DESIGN.md). Everything but the decision memory of old scans is
 * rebuilt from the topics.
 */
export function scanningKeys(expoId: string) {
  const key = expoKeys(expoId, SERVICE);
  return {
    /** zoneId → `parent|capacity|antiPassback|kind`, what the scan script reads. */
    zoneMeta: () => key('zone-meta'),
    /** zoneId → the zone's full JSON (name, gates with their devices). */
    zones: () => key('zones'),
    /** gateId → zoneId. */
    gates: () => key('gates'),
    /** device key hash → `deviceId|gateId`. */
    deviceKeys: () => key('device-keys'),
    /** badgeId → the zone it is in (absent: outside the venue). */
    location: () => key('location'),
    /** badgeId → attendeeId, for records of moves no token came with (the sweep). */
    badgeAttendee: () => key('badge-attendee'),
    /** badgeId → device time (ms) of its last recorded move. */
    lastMove: () => key('last-move'),
    /** zoneId → badges in the zone or inside it. */
    occupancy: () => key('occupancy'),
    /** One scan's decision, kept for replays and annulment. */
    decision: (scanId: string) => key('scan', scanId),
    revoked: () => key('revoked'),
    /** Revocations in arrival order (score: sequence) for devices syncing since a cursor. */
    revocationLog: () => key('revocation-log'),
    revocationSeq: () => key('revocation-seq'),
    /** attendeeId → `{ n: display name, c: country }` shown on the gate's screen. */
    people: () => key('people'),
    /** kid → public JWK of a badge signing key. */
    badgeKeys: () => key('badge-keys'),
    /** exhibitor key hash → exhibitorId. */
    exhibitorKeys: () => key('exhibitor-keys'),
    /** attendeeId → sectors of interest, for leads. */
    interests: () => key('interests'),
    lead: (leadId: string) => key('lead', leadId),
    exhibitorLeads: (exhibitorId: string) => key('exhibitor-leads', exhibitorId),
    /** `YYYY-MM-DD` days whose closing sweep ran. */
    sweptDays: () => key('swept-days'),
    /** Held while a zone's snapshot is being changed (see zone-lock.ts). */
    zoneLock: (zoneId: string) => key('zone-lock', zoneId),
    /** Set once the state was rebuilt from Kafka; its absence means "Redis is empty, rebuild". */
    stateMarker: () => key('state'),
    /** Every key of the expo's rebuildable state. */
    rebuildable: () => ['zone-meta', 'zones', 'gates', 'device-keys', 'location', 'badge-attendee', 'last-move', 'occupancy', 'revoked', 'revocation-log', 'revocation-seq', 'people', 'badge-keys', 'exhibitor-keys', 'interests', 'swept-days'].map((p) => key(p)),
  };
}

export type ScanningKeys = ReturnType<typeof scanningKeys>;
