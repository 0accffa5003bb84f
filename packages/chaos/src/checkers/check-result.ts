import type { createKafka } from '@expo/bus';
import type { Journal } from '../journal.ts';

export type Kafka = ReturnType<typeof createKafka>;

/** One checker's verdict on the log. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** How many units the checker held to its rule (journal answers, records, …: each checker says which). */
  readonly checked: number;
  /** Every count by name; `problems` is the number of violations, of which `problems` below samples a few. */
  readonly counts: Readonly<Record<string, number>>;
  /** At most MAX_PROBLEM_SAMPLES descriptions of violations. */
  readonly problems: readonly string[];
}

/** What every checker reads: the broker, whose topics (`topicPrefix` + the name in TOPICS), whose records, what the workload was told. */
export interface CheckInput {
  readonly kafka: Kafka;
  readonly topicPrefix: string;
  readonly expoId: string;
  readonly journal: Journal;
}
