import type { ScriptRunner } from '@expo/service-kit';
import type { TOPICS } from '@expo/schemas';
import type { LatePolicy } from '../domain/scan-tuple.ts';
import type { ExpoCalendar } from '../domain/time.ts';
import type { AnalyticsKeys } from '../store/keys.ts';

/** The topics analytics reads and writes (tests pass prefixed copies). */
export interface AnalyticsTopics {
  readonly scans: typeof TOPICS.scans;
  readonly zones: typeof TOPICS.zones;
  readonly attendees: typeof TOPICS.attendees;
  readonly badges: typeof TOPICS.badges;
  readonly exhibitors: typeof TOPICS.exhibitors;
  readonly meetings: typeof TOPICS.meetings;
  readonly footfall: typeof TOPICS.footfall;
}

export interface ConsumerDeps {
  /** The expo whose records are folded (envelope `eventId`); other expos' records on the topics are skipped. */
  readonly expoId: string;
  readonly scripts: ScriptRunner;
  readonly keys: AnalyticsKeys;
  readonly calendar: ExpoCalendar;
  readonly policy: LatePolicy;
  readonly dedupeTtlSeconds: number;
  /** Told after each applied scan batch (the dashboard stream looks sooner). */
  readonly onScansApplied?: () => void;
}

/**
 * Whether a record is this expo's. Topics may be shared by several expos: another expo's record is
 * not applied at all, so it changes no figure and moves no log position (apply-scans.lua,
 * apply-snapshot.lua), and the consumer commits past it like any handled record. A tombstone has no
 * envelope, so whose it is cannot be told: it is applied, and for an id this expo never folded it
 * finds no snapshot to take counters from, so it changes no figure.
 */
export function ours(deps: Pick<ConsumerDeps, 'expoId'>, event: { readonly eventId: string }): boolean {
  return event.eventId === deps.expoId;
}
