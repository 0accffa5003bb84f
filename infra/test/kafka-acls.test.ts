import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { type Kafka } from 'kafkajs';
import {
  aclAllows,
  allTopicDefinitions,
  KAFKA_ACL_USERS,
  KAFKA_ADMIN_USER,
  kafkaAcls,
  type AclOperation,
  type AclRule,
  type KafkaAclUser,
} from '@expo/schemas';
import { ensureTopics } from '../src/kafka/admin.ts';
import { scramConnection, startKafka, type RunningKafka } from '../src/kafka/broker.ts';
import { createKafka } from '../src/kafka/client.ts';

// One secured broker for the file; a topic prefix of its own shows the ACLs follow TOPIC_PREFIX.
const PREFIX = 'acl-test.';
const { logLevel } = kafkajs;
const rules = kafkaAcls({ topicPrefix: PREFIX });
const dataDir = mkdtempSync(join(tmpdir(), 'expo-kafka-acls-'));
let broker: RunningKafka;

/**
 * Kafka error codes a client met, from its debug log: kafkajs answers a refused FindCoordinator
 * (GROUP_AUTHORIZATION_FAILED) with its own "Failed to find group coordinator".
 */
type Seen = string[];

const client = (user: string, options: { password?: string; seen?: Seen } = {}): Kafka => {
  const sasl = scramConnection(broker.credentials!, user).sasl!;
  const seen = options.seen;
  return createKafka(
    { brokers: broker.brokers, clientId: `acl-${user}` },
    {
      sasl: { ...sasl, ...(options.password ? { password: options.password } : {}) } as typeof sasl,
      retry: { retries: 0 },
      ...(seen
        ? {
            logLevel: logLevel.DEBUG,
            logCreator:
              () =>
              ({ log }) => {
                const type = (log as { error?: { type?: unknown } }).error?.type;
                if (typeof type === 'string') seen.push(type);
              },
          }
        : {}),
    },
  );
};
const userOf = (rule: AclRule) => rule.principal.slice('User:'.length) as KafkaAclUser;

/** The Kafka error code that refused the request (through kafkajs's wrappers), or the message. */
function refusal(error: unknown, seen: Seen): string {
  for (let e = error as { type?: string; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.type === 'string') return e.type;
  }
  return seen.find((t) => /AUTHORIZATION_FAILED|SASL/.test(t)) ?? String((error as Error | undefined)?.message ?? error);
}
async function refusalOf(work: Promise<unknown>, seen: Seen = []): Promise<string> {
  return work.then(
    () => 'allowed',
    (error: unknown) => refusal(error, seen),
  );
}

/** Values sent by allowed and by refused writes: the log, read by the admin, must hold exactly the first. */
const sent = { allowed: new Map<string, string>(), refused: new Map<string, string>() };

async function write(user: string, topic: string, outcome: keyof typeof sent, seen: Seen, idempotent = false): Promise<void> {
  // An idempotent producer insists on retries (kafkajs); a refusal is not retriable, so it still fails at once.
  const producer = client(user, { seen }).producer({
    allowAutoTopicCreation: false,
    idempotent,
    ...(idempotent ? { maxInFlightRequests: 1, retry: { retries: 2 } } : {}),
  });
  const value = `${user}:${randomUUID()}`;
  sent[outcome].set(value, topic);
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
  } finally {
    await producer.disconnect();
  }
}

/** Joins `groupId` and resolves at the first record of `topic`; rejects with whatever refused it. */
async function consumeOne(user: string, topic: string, groupId: string, seen: Seen = []): Promise<void> {
  const consumer = client(user, { seen }).consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 0, restartOnFailure: async () => false } });
  try {
    await consumer.connect();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no record of ${topic} within 15 s`)), 15_000);
      const done = (error?: unknown) => {
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      };
      consumer.on(consumer.events.CRASH, ({ payload }) => done(payload.error));
      consumer
        .subscribe({ topics: [topic], fromBeginning: true })
        .then(() => consumer.run({ eachMessage: async () => done() }))
        .catch(done);
    });
  } finally {
    await consumer.disconnect();
  }
}

async function asAdmin<T>(user: string, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>, seen: Seen = []): Promise<T> {
  const admin = client(user, { seen }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

const topicWith = (user: string, operation: AclOperation) =>
  rules.find((r) => r.principal === `User:${user}` && r.resourceType === 'topic' && r.operations.includes(operation))?.resourceName;
const ownGroup = (user: string) => `${user}.probe-${randomUUID()}`;
const instanceOf = (rule: AclRule) => (rule.patternType === 'prefixed' ? `${rule.resourceName}probe-${randomUUID()}` : rule.resourceName);

/** What a rule is checked by: the strongest operation it allows. */
function probeOperation(rule: AclRule): AclOperation {
  return (['idempotent-write', 'write', 'read', 'describe'] as const).find((o) => rule.operations.includes(o))!;
}

/** The operation on the resource that `user` tries: allowed when the table says so. */
function attempt(user: string, operation: AclOperation, rule: AclRule, name: string, outcome: keyof typeof sent, seen: Seen): Promise<unknown> {
  if (rule.resourceType === 'cluster') return write(user, topicWith(user, 'write') ?? topicWith('registration', 'write')!, outcome, seen, true);
  if (rule.resourceType === 'topic') {
    if (operation === 'write') return write(user, name, outcome, seen);
    if (operation === 'read') return consumeOne(user, name, ownGroup(user), seen);
    return asAdmin(user, (admin) => admin.fetchTopicOffsets(name), seen);
  }
  if (operation === 'read') {
    return consumeOne(user, topicWith(user, 'read')!, name, seen).then(() =>
      rule.operations.includes('delete') && outcome === 'allowed' ? asAdmin(user, (admin) => admin.deleteGroups([name])) : undefined,
    );
  }
  const topic = topicWith(user, 'describe')!;
  return asAdmin(
    user,
    async (admin) => {
      await admin.fetchTopicOffsets(topic);
      return admin.fetchOffsets({ groupId: name, topics: [topic] });
    },
    seen,
  );
}

/**
 * A user the table refuses the rule's operation on the same resource; when every user may (every
 * service and downstream read the attendees), the write nobody but the producer may do.
 */
function deniedCase(rule: AclRule, name: string): { user: KafkaAclUser; operation: AclOperation } {
  const operation = probeOperation(rule);
  const resource = { type: rule.resourceType, name };
  const other = KAFKA_ACL_USERS.find((u) => !aclAllows(rules, u, operation, resource));
  if (other) return { user: other, operation };
  const writer = KAFKA_ACL_USERS.find((u) => !aclAllows(rules, u, 'write', resource))!;
  return { user: writer, operation: 'write' };
}

const EXPECTED_REFUSAL = { topic: 'TOPIC_AUTHORIZATION_FAILED', group: 'GROUP_AUTHORIZATION_FAILED', cluster: 'CLUSTER_AUTHORIZATION_FAILED' } as const;

beforeAll(async () => {
  broker = await startKafka({ dataDir, ownerPid: process.pid, secured: { topicPrefix: PREFIX } });
  const admin = client(KAFKA_ADMIN_USER);
  const defs = allTopicDefinitions().map((d) => ({ ...d, name: `${PREFIX}${d.name}`, partitions: 1 }));
  await ensureTopics(admin, defs);
  // A record on every topic, so that a read has something to hand over.
  const producer = admin.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.sendBatch({ acks: -1, topicMessages: defs.map((d) => ({ topic: d.name, messages: [{ key: 'seed', value: 'seed' }] })) });
  await producer.disconnect();
  // The first group creates the offsets topic: until its coordinator is loaded, joins fail for a while.
  for (let attempt = 1; ; attempt++) {
    try {
      await consumeOne(KAFKA_ADMIN_USER, defs[0]!.name, `admin.warm-up.${attempt}`);
      break;
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}, 60_000);

afterAll(async () => {
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the secured broker', () => {
  it('keeps the generated passwords in the data dir, readable by its owner only', () => {
    expect(broker.credentials?.file.startsWith(dataDir)).toBe(true);
    expect(statSync(broker.credentials!.file).mode & 0o077).toBe(0);
    expect(Object.keys(broker.credentials!.passwords).sort()).toEqual([KAFKA_ADMIN_USER, ...KAFKA_ACL_USERS].sort());
  });

  it('refuses a wrong password and a client without SASL', async () => {
    expect(await refusalOf(asAdmin('badge-scanning', (admin) => admin.listTopics()))).toBe('allowed');
    const seen: Seen = [];
    const refused = await refusalOf(client('badge-scanning', { password: 'not-the-password', seen }).admin().connect(), seen);
    expect(refused).toMatch(/SASL_AUTHENTICATION_FAILED|authentication/i);
    const anonymous = createKafka(
      { brokers: broker.brokers, clientId: 'anonymous', connectionTimeoutMs: 1000 },
      { retry: { retries: 0 }, requestTimeout: 2000 },
    );
    expect(
      await refusalOf(
        anonymous
          .admin()
          .connect()
          .then(() => anonymous.admin().listTopics()),
      ),
    ).not.toBe('allowed');
  });
});

describe('least privilege between the services', () => {
  const topic = (name: string) => `${PREFIX}${name}`;

  it("refuses badge-scanning's records on registration's badges topic", async () => {
    const seen: Seen = [];
    expect(await refusalOf(write('badge-scanning', topic('registration.badges.v1'), 'refused', seen), seen)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it("refuses badge-scanning a place in matchmaking's consumer group", async () => {
    const seen: Seen = [];
    const joined = consumeOne('badge-scanning', topic('registration.attendees.v1'), `matchmaking.acl-expo.cancellations`, seen);
    expect(await refusalOf(joined, seen)).toBe('GROUP_AUTHORIZATION_FAILED');
  });

  it('lets downstream read the scans but write nothing', async () => {
    expect(await refusalOf(consumeOne('downstream', topic('scanning.scans.v1'), `downstream.bi-${randomUUID()}`))).toBe('allowed');
    const seen: Seen = [];
    expect(await refusalOf(write('downstream', topic('scanning.scans.v1'), 'refused', seen), seen)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});

describe.concurrent('every row of the derived ACL table', () => {
  it.each(rules.map((r) => [`${r.principal} ${r.operations.join('+')} ${r.resourceType} ${r.patternType} ${r.resourceName}`, r] as const))(
    '%s: allowed, and refused to whom the table does not allow it',
    async (_name, rule) => {
      const name = instanceOf(rule);
      const allowedSeen: Seen = [];
      expect(await refusalOf(attempt(userOf(rule), probeOperation(rule), rule, name, 'allowed', allowedSeen), allowedSeen)).toBe('allowed');
      const denied = deniedCase(rule, name);
      const deniedSeen: Seen = [];
      const expected = denied.operation === 'write' && rule.resourceType !== 'cluster' ? EXPECTED_REFUSAL.topic : EXPECTED_REFUSAL[rule.resourceType];
      expect(await refusalOf(attempt(denied.user, denied.operation, rule, name, 'refused', deniedSeen), deniedSeen)).toBe(expected);
    },
    30_000,
  );
});

describe('what the log holds afterwards, read as the admin', () => {
  it('holds every record an allowed write sent and none a refused write sent', async () => {
    const topics = [...new Set([...sent.allowed.values(), ...sent.refused.values()])];
    const ends = await asAdmin(
      KAFKA_ADMIN_USER,
      async (admin) => new Map(await Promise.all(topics.map(async (t) => [t, Number((await admin.fetchTopicOffsets(t))[0]!.high)] as const))),
    );
    const values = new Set<string>();
    const consumer = client(KAFKA_ADMIN_USER).consumer({ groupId: `admin.${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const remaining = new Set(topics.filter((t) => (ends.get(t) ?? 0) > 0));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`topics not read to the end: ${[...remaining].join(', ')}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          values.add(message.value?.toString() ?? '');
          if (Number(message.offset) + 1 >= (ends.get(topic) ?? 0)) remaining.delete(topic);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(sent.refused.size).toBeGreaterThan(0);
    expect([...sent.refused.keys()].filter((v) => values.has(v))).toEqual([]);
    expect([...sent.allowed.keys()].filter((v) => !values.has(v))).toEqual([]);
  }, 30_000);
});
