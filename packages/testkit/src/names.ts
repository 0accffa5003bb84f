import { randomBytes } from 'node:crypto';

export interface TestNames {
  /** Random suffix shared by every name below. */
  readonly suffix: string;
  /** An expo id of its own (`eventId` in envelopes, `{<eventId>}` hash tag in Redis keys). */
  readonly expoId: string;
  /** Prefix for this test's topics: `<prefix><topic name>`. */
  readonly topicPrefix: string;
  /** Prefix for Redis keys the test writes outside an expo hash tag. */
  readonly keyPrefix: string;
  /** A consumer group id of its own; `group('x')` derives more. */
  readonly groupId: string;
  group(label: string): string;
  topic(name: string): string;
}

/**
 * Names no other test (nor another run on the same broker) uses, so tests never see each other's
 * records, offsets or keys.
 */
export function testNames(label = 'test'): TestNames {
  const suffix = randomBytes(5).toString('hex');
  const safe = label.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 40);
  const topicPrefix = `t.${safe}.${suffix}.`;
  return {
    suffix,
    expoId: `expo-${safe}-${suffix}`,
    topicPrefix,
    keyPrefix: `test:${safe}:${suffix}:`,
    groupId: `g.${safe}.${suffix}`,
    group: (l) => `g.${safe}.${suffix}.${l}`,
    topic: (name) => `${topicPrefix}${name}`,
  };
}
