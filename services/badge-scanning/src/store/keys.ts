import { expoKeys } from '@expo/service-kit';

const SERVICE = 'scan';

/**
 * Badge-scanning's Redis keys for one expo, all under its `{expoId}` hash tag so one Lua script
 * may touch every key of a scan (docs/architecture.md). Everything but the decision memory of old scans is
 * rebuilt from the topics.
 */
export function scanningKeys(expoId: string) {
  const key = expoKeys(expoId, SERVICE);
  // Keys without a variable part are built (and checked) once: a scan names nine of them.
  const fixed = (name: string) => {
    const built = key(name);
    return () => built;
  };
  return {
    /** zoneId → `parent|capacity|antiPassback|kind`, what the scan script reads. */
    zoneMeta: fixed('zone-meta'),
    /** zoneId → the zone's full JSON (name, gates with their devices). */
    zones: fixed('zones'),
    /** The per-device scan limits' counters (`<namespace>:<deviceId>:<scans|batches>`, @fastify/rate-limit). */
    rateLimit: fixed('ratelimit'),
    /** gateId → zoneId. */
    gates: fixed('gates'),
    /** device key hash → `deviceId|gateId`. */
    deviceKeys: fixed('device-keys'),
    /** badgeId → the zone it is in (absent: outside the venue). */
    location: fixed('location'),
    /** badgeId → attendeeId, for records of moves no token came with (the sweep). */
    badgeAttendee: fixed('badge-attendee'),
    /** badgeId → device time (ms) of its last recorded move. */
    lastMove: fixed('last-move'),
    /** zoneId → badges in the zone or inside it. */
    occupancy: fixed('occupancy'),
    /**
     * One scan's decision, kept for replays and annulment: `j` its JSON, `c` '1' once Kafka
     * acknowledged its records, `s`/`o` the device's scannedAt and offline flag (to write the same
     * records again), `pb` the badge it holds in `unconfirmedBadges`; `a`/`at`/`ac` its annulment.
     */
    decision: (scanId: string) => key('scan', scanId),
    /**
     * Decisions and annulments whose records Kafka has not acknowledged (score: decided at, ms;
     * member: scanId, or `annul:<scanId>`): the outbox written again until acknowledged.
     */
    unconfirmed: fixed('unconfirmed'),
    /** badgeId → `<call>|<scanId>` of its move not yet acknowledged: the badge's next move waits (its records stay in order). */
    unconfirmedBadges: fixed('unconfirmed-badges'),
    revoked: fixed('revoked'),
    /** Revocations in arrival order (score: sequence) for devices syncing since a cursor. */
    revocationLog: fixed('revocation-log'),
    revocationSeq: fixed('revocation-seq'),
    /** attendeeId → `{ n: display name, c: country }` shown on the gate's screen. */
    people: fixed('people'),
    /** kid → public JWK of a badge signing key. */
    badgeKeys: fixed('badge-keys'),
    /** exhibitor key hash → exhibitorId. */
    exhibitorKeys: fixed('exhibitor-keys'),
    /** attendeeId → sectors of interest, for leads. */
    interests: fixed('interests'),
    lead: (leadId: string) => key('lead', leadId),
    exhibitorLeads: (exhibitorId: string) => key('exhibitor-leads', exhibitorId),
    /** `YYYY-MM-DD` days whose closing sweep ran. */
    sweptDays: fixed('swept-days'),
    /** Held (with a TTL) by the instance sweeping a day. */
    sweepLease: (day: string) => key('sweep-lease', day),
    /** Chunks of a sweep applied here whose records Kafka has not acknowledged: `<day>|<n>` → JSON. */
    sweepUnconfirmed: fixed('sweep-unconfirmed'),
    /** Held while a zone's snapshot is being changed (see zone-lock.ts). */
    zoneLock: (zoneId: string) => key('zone-lock', zoneId),
    /** Every key of the expo's rebuildable state. */
    rebuildable: () =>
      [
        'zone-meta',
        'zones',
        'gates',
        'device-keys',
        'location',
        'badge-attendee',
        'last-move',
        'occupancy',
        'revoked',
        'revocation-log',
        'revocation-seq',
        'people',
        'badge-keys',
        'exhibitor-keys',
        'interests',
        'swept-days',
        'unconfirmed',
        'unconfirmed-badges',
        'sweep-unconfirmed',
      ].map((p) => key(p)),
  };
}

export type ScanningKeys = ReturnType<typeof scanningKeys>;
