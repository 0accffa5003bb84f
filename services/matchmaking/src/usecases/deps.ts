import type { RedisClient } from '@expo/service-kit';
import type { BusProducer } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { Recommender } from '../domain/recommend/recommender.ts';
import type { MatchmakingMetrics } from '../metrics.ts';
import type { MatchmakingKeys } from '../store/keys.ts';
import type { MeetingOutbox } from '../store/meeting-outbox.ts';
import type { MeetingStore } from '../store/meeting-store.ts';

type Contract<K extends keyof typeof TOPICS> = (typeof TOPICS)[K] & { name: string };

/** The topics matchmaking reads and writes; tests give prefixed copies. */
export interface MatchmakingTopics {
  readonly attendees: Contract<'attendees'>;
  readonly exhibitors: Contract<'exhibitors'>;
  readonly delegations: Contract<'delegations'>;
  readonly badgeKeys: Contract<'badgeKeys'>;
  readonly leads: Contract<'leads'>;
  readonly zones: Contract<'zones'>;
  readonly scans: Contract<'scans'>;
  readonly meetings: Contract<'meetings'>;
  readonly requirements: Contract<'requirements'>;
  readonly preferences: Contract<'preferences'>;
  readonly sessions: Contract<'sessions'>;
}

export interface MeetingLimits {
  readonly maxSent: number;
  readonly maxActive: number;
  readonly requestTtlSeconds: number;
}

/** What the use cases work with. */
export interface MatchmakingDeps {
  readonly expoId: string;
  readonly redis: RedisClient;
  readonly keys: MatchmakingKeys;
  readonly meetings: MeetingStore;
  /** Meetings whose latest record Kafka has not acknowledged, written again until it does. */
  readonly outbox: MeetingOutbox;
  readonly recommender: Recommender;
  readonly producer: BusProducer;
  readonly topics: MatchmakingTopics;
  readonly limits: MeetingLimits;
  readonly schedulerBudgetMs: number;
  readonly now: () => Date;
  readonly metrics: MatchmakingMetrics;
  readonly log: { error(object: object, message: string): void; warn(object: object, message: string): void };
}
