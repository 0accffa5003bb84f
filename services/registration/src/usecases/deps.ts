import type { BusProducer } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { BadgeSigningKey } from '@expo/badges';
import type { RegistrationMetrics } from '../metrics.ts';
import type { RegistrationStore } from '../store/registration-store.ts';

type Contract<K extends keyof typeof TOPICS> = (typeof TOPICS)[K] & { name: string };

/** Registration's topics; tests give prefixed copies, production the platform's own. */
export interface RegistrationTopics {
  readonly attendees: Contract<'attendees'>;
  readonly exhibitors: Contract<'exhibitors'>;
  readonly delegations: Contract<'delegations'>;
  readonly badges: Contract<'badges'>;
  readonly badgeKeys: Contract<'badgeKeys'>;
}

export interface Expo {
  readonly expoId: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly timeZone: string;
}

/** What the use cases work with: the state, the log, the signing key, the expo. */
export interface RegistrationDeps {
  readonly store: RegistrationStore;
  readonly producer: BusProducer;
  readonly topics: RegistrationTopics;
  readonly signingKey: () => BadgeSigningKey;
  readonly expo: Expo;
  readonly metrics: RegistrationMetrics;
  readonly now?: () => Date;
}

/** Names of the fields a creation sets: every field of the new snapshot. */
export function allFields(snapshot: object): string[] {
  return Object.keys(snapshot);
}
