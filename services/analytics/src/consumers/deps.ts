import type { ScriptRunner } from '@expo/service-kit';
import type { TOPICS } from '@expo/schemas';
import type { LatePolicy } from '../domain/scan-facts.ts';
import type { ExpoCalendar } from '../domain/time.ts';
import type { AnalyticsMetrics } from '../metrics.ts';
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
  readonly scripts: ScriptRunner;
  readonly keys: AnalyticsKeys;
  readonly calendar: ExpoCalendar;
  readonly policy: LatePolicy;
  readonly dedupeTtlSeconds: number;
  /** Told after each applied scan batch (the dashboard stream looks sooner). */
  readonly onScansApplied?: () => void;
  readonly metrics?: AnalyticsMetrics;
}
