import type { BusProducer } from '@expo/bus';
import { pickTopics, type TOPICS } from '@expo/schemas';
import type { TokenChecker } from '../domain/token-checker.ts';
import type { ScanningMetrics } from '../metrics.ts';
import type { RegistryStore } from '../store/registry-store.ts';
import type { ScanStore } from '../store/scan-store.ts';
import type { SweepStore } from '../store/sweep-store.ts';
import type { ZoneStore } from '../store/zone-store.ts';
import type { RegistrationTopics } from './registration-records.ts';

export interface ScanningTopics extends RegistrationTopics {
  readonly zones: typeof TOPICS.zones;
  readonly scans: typeof TOPICS.scans;
  readonly leads: typeof TOPICS.leads;
}

/** The platform's topics this service reads and writes, before any TOPIC_PREFIX. */
export const DEFAULT_TOPICS: ScanningTopics = pickTopics(['attendees', 'exhibitors', 'badges', 'badgeKeys', 'zones', 'scans', 'leads']);

/** What the use cases work with: state, log, token checks, the expo, the clock. */
export interface ScanningDeps {
  readonly expoId: string;
  readonly timeZone: string;
  readonly scans: ScanStore;
  readonly zones: ZoneStore;
  /** The closing sweep's chunks, days and lease. */
  readonly sweeps: SweepStore;
  readonly registry: RegistryStore;
  readonly tokens: TokenChecker;
  readonly producer: BusProducer;
  readonly topics: ScanningTopics;
  readonly annulWindowMs: number;
  /** How far a device's clock may be from the service's for a scan decided afresh (ms). */
  readonly clockBoundMs: number;
  /** How long decisions are remembered (ms): an offline scan older than that is refused. */
  readonly memoryMs: number;
  readonly now: () => number;
  readonly metrics: ScanningMetrics;
  readonly log: { warn(object: object, message: string): void; error(object: object, message: string): void };
}
