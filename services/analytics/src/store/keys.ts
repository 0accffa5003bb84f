import { expoKey } from '@expo/service-kit';

/** Every analytics key of an expo starts with this (one hash tag: one Cluster slot for a script). */
export function analyticsPrefix(expoId: string): string {
  return `${expoKey(expoId, 'analytics')}:`;
}

export interface AnalyticsKeys {
  readonly prefix: string;
  readonly occupancy: string;
  readonly zones: string;
  readonly zonesSeen: string;
  readonly dirty: string;
  /** The days that have any scan. */
  readonly days: string;
  /** Each badge's open visit ("badge|zone" → entry time), until its exit. */
  readonly open: string;
  /** Highest offset applied per "topic:partition" (how far the state reaches; not what is skipped). */
  readonly offsets: string;
  readonly attendees: string;
  readonly registered: string;
  readonly badged: string;
  readonly entered: string;
  readonly totals: string;
  readonly debuts: string;
  readonly meetings: string;
  readonly funnel: string;
  /** One of the expo's hashes by its name: the snapshot consumers' states, counters and attributes. */
  hash(name: string): string;
  /** The envelope ids of scans applied, by the hour of their event time (kept DEDUPE_TTL_SECONDS). */
  seen(hour: number): string;
  /**
   * The log positions a partition's folds skip on ("topic:partition"): for each record key, the
   * offset of the last record applied. Kept with the figures, cleared with them by a refold.
   */
  positions(where: string): string;
  bucketHash(zoneId: string, size: string, day: string): string;
  bucketHll(zoneId: string, size: string, startMs: number): string;
  zoneDayHll(zoneId: string, day: string): string;
  /** Attendees who entered on the day (a set: exact unique visitors). */
  visitors(day: string): string;
  day(day: string): string;
  peaks(day: string): string;
  tooLate(day: string): string;
  dwell(zoneId: string, day: string): string;
  gates(day: string): string;
  gateMinutes(day: string): string;
  mix(day: string): string;
}

/**
 * Every key name of analytics. The Lua scripts never build one: each is named here and handed to
 * them in KEYS, so a script declares every key it touches (as Redis Cluster expects).
 */
export function analyticsKeys(expoId: string): AnalyticsKeys {
  const p = analyticsPrefix(expoId);
  return {
    prefix: p,
    occupancy: `${p}occ`,
    zones: `${p}zones`,
    zonesSeen: `${p}zones-seen`,
    dirty: `${p}dirty`,
    days: `${p}days`,
    open: `${p}open`,
    offsets: `${p}offsets`,
    attendees: `${p}att`,
    registered: `${p}registered`,
    badged: `${p}badged`,
    entered: `${p}entered`,
    totals: `${p}totals`,
    debuts: `${p}debuts`,
    meetings: `${p}meetings`,
    funnel: `${p}funnel`,
    hash: (name) => `${p}${name}`,
    seen: (hour) => `${p}seen:${hour}`,
    positions: (where) => `${p}pos:${where}`,
    bucketHash: (zoneId, size, day) => `${p}fb:${zoneId}:${size}:${day}`,
    bucketHll: (zoneId, size, startMs) => `${p}hll:${zoneId}:${size}:${startMs}`,
    zoneDayHll: (zoneId, day) => `${p}hll:${zoneId}:d:${day}`,
    visitors: (day) => `${p}visitors:${day}`,
    day: (day) => `${p}day:${day}`,
    peaks: (day) => `${p}peak:${day}`,
    tooLate: (day) => `${p}too-late:${day}`,
    dwell: (zoneId, day) => `${p}dwell:${zoneId}:${day}`,
    gates: (day) => `${p}gate:${day}`,
    gateMinutes: (day) => `${p}gate-min:${day}`,
    mix: (day) => `${p}mix:${day}`,
  };
}
