import kafkajs, { type Admin, type Kafka, type KafkaConfig } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader only exposes its default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, ResourcePatternTypes } = kafkajs;
import type { AclOperation, AclPatternType, AclResourceType, AclRule, TopicDefinition } from '@expo/schemas';
import { createKafka } from './client.ts';

export interface TopicChange {
  readonly topic: string;
  readonly action: 'created' | 'partitions-added' | 'configs-updated';
}

export interface ProvisionOptions {
  /**
   * Copies of each partition of a topic created now; -1 (the default) takes the cluster's
   * `default.replication.factor`, so a single development broker keeps one copy.
   */
  readonly replicationFactor?: number;
}

/** The replication factor from which a topic asks for two in-sync copies per acknowledged write. */
const REPLICATED = 3;

function topicConfigs(def: TopicDefinition, options: ProvisionOptions): Record<string, string> {
  const configs: Record<string, string> = { 'cleanup.policy': def.cleanup };
  if (def.retentionMs !== null) configs['retention.ms'] = String(def.retentionMs);
  // With three copies, two must hold a write before it is acknowledged: it then survives the loss
  // of any one broker, and writes are still accepted while one broker is down.
  if ((options.replicationFactor ?? -1) >= REPLICATED) configs['min.insync.replicas'] = '2';
  return configs;
}

/** Reads the configs of existing topics that differ from their definition. */
async function configDrift(admin: Admin, defs: readonly TopicDefinition[], options: ProvisionOptions): Promise<TopicDefinition[]> {
  if (defs.length === 0) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: defs.map((d) => ({
      type: ConfigResourceTypes.TOPIC,
      name: d.name,
      configNames: Object.keys(topicConfigs(d, options)),
    })),
  });
  const current = new Map(described.resources.map((r) => [r.resourceName, new Map(r.configEntries.map((e) => [e.configName, e.configValue]))]));
  return defs.filter((d) => Object.entries(topicConfigs(d, options)).some(([name, value]) => current.get(d.name)?.get(name) !== value));
}

const CREATE_TIMEOUT_MS = 60_000;

/** A topic's configuration as kafkajs's create and alter requests take it. */
function configEntriesOf(d: TopicDefinition, options: ProvisionOptions): Array<{ name: string; value: string }> {
  return Object.entries(topicConfigs(d, options)).map(([name, value]) => ({ name, value }));
}

/** A failure worth trying again: retriable itself, kafkajs's retries ran out, or caused by one. */
function isRetriable(error: unknown): boolean {
  for (let e = error as { retriable?: boolean; name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.retriable === true || e.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  }
  return false;
}

/**
 * Creates the topics and waits until every partition's leader serves it. Metadata can name a
 * leader a moment before that broker acts as one (a first write then fails with "not the leader
 * for that topic-partition"), so the end offsets are asked of each leader too. A loaded broker
 * can answer retriable errors (`UNKNOWN_TOPIC_OR_PARTITION` while it is still electing leaders, a
 * moving controller) past kafkajs's own retries: those are retried here for up to a minute,
 * creating only what does not exist yet.
 */
async function createTopics(admin: Admin, defs: readonly TopicDefinition[], options: ProvisionOptions): Promise<void> {
  const deadline = Date.now() + CREATE_TIMEOUT_MS;
  for (;;) {
    try {
      const existing = new Set(await admin.listTopics());
      const todo = defs.filter((d) => !existing.has(d.name));
      if (todo.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: todo.map((d) => ({
            topic: d.name,
            numPartitions: d.partitions,
            replicationFactor: options.replicationFactor ?? -1,
            configEntries: configEntriesOf(d, options),
          })),
        });
      }
      const metadata = await admin.fetchTopicMetadata({ topics: defs.map((d) => d.name) });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) {
        for (const d of defs) await admin.fetchTopicOffsets(d.name);
        return;
      }
    } catch (error) {
      if (!isRetriable(error) || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${defs.map((d) => d.name).join(', ')} have no leaders after ${CREATE_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Makes the cluster hold every topic of `defs` with its partitions and configs. Safe to run at
 * every start: it creates what is missing, adds partitions where there are fewer (never removes
 * any, Kafka cannot) and corrects drifted configs. The replication factor applies to topics it
 * creates; an existing topic keeps its copies (Kafka changes them only by reassignment).
 */
export async function ensureTopics(kafka: Kafka, defs: readonly TopicDefinition[], options: ProvisionOptions = {}): Promise<TopicChange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = defs.filter((d) => !existing.has(d.name));
    const present = defs.filter((d) => existing.has(d.name));
    const changes: TopicChange[] = [];
    if (missing.length > 0) {
      await createTopics(admin, missing, options);
      changes.push(...missing.map((d) => ({ topic: d.name, action: 'created' as const })));
    }
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((d) => d.name) });
      const counts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
      const grow = present.filter((d) => (counts.get(d.name) ?? 0) < d.partitions);
      if (grow.length > 0) {
        await admin.createPartitions({ topicPartitions: grow.map((d) => ({ topic: d.name, count: d.partitions })) });
        changes.push(...grow.map((d) => ({ topic: d.name, action: 'partitions-added' as const })));
      }
      const drifted = await configDrift(admin, present, options);
      if (drifted.length > 0) {
        await admin.alterConfigs({
          validateOnly: false,
          resources: drifted.map((d) => ({
            type: ConfigResourceTypes.TOPIC,
            name: d.name,
            configEntries: configEntriesOf(d, options),
          })),
        });
        changes.push(...drifted.map((d) => ({ topic: d.name, action: 'configs-updated' as const })));
      }
    }
    return changes;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Resolves once the cluster answers a metadata request (and, given `clusterId`, is that cluster,
 * not another broker that took the port, with at least `brokerCount` brokers registered and
 * unfenced); rejects after `timeoutMs`.
 */
export async function waitForBroker(
  brokers: string,
  timeoutMs: number,
  clusterId?: string,
  brokerCount = 1,
  /** How to connect beyond the address (the secured mode's SASL). */
  connection: Partial<KafkaConfig> = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const admin = createKafka({ brokers, clientId: 'expo-readiness', connectionTimeoutMs: 1000 }, { ...connection, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.fetchTopicMetadata({ topics: [] });
      if (clusterId === undefined) return;
      const answered = await admin.describeCluster();
      const ours = answered.clusterId === clusterId;
      if (ours && answered.brokers.length >= brokerCount) return;
      lastError = new Error(
        ours ? `${answered.brokers.length} of ${brokerCount} brokers registered` : `another Kafka cluster (${answered.clusterId}) answers on ${brokers}`,
      );
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Kafka at ${brokers} did not answer metadata requests within ${timeoutMs} ms`, { cause: lastError });
}

const RESOURCE_TYPES: Record<AclResourceType, number> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
};
const PATTERN_TYPES: Record<AclPatternType, number> = {
  literal: ResourcePatternTypes.LITERAL,
  prefixed: ResourcePatternTypes.PREFIXED,
};
const OPERATIONS: Record<AclOperation, number> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
  delete: AclOperationTypes.DELETE,
  'idempotent-write': AclOperationTypes.IDEMPOTENT_WRITE,
};

/**
 * Creates the ACLs of `rules` (packages/schemas/src/kafka-acls.ts), as a super user. Safe to run
 * at every start: the broker keeps one copy of an ACL created twice. ACLs no longer in the table
 * are left in place (removing access is an operator's decision).
 */
export async function applyAcls(kafka: Kafka, rules: readonly AclRule[]): Promise<number> {
  const acl = rules.flatMap((r) =>
    r.operations.map((operation) => ({
      resourceType: RESOURCE_TYPES[r.resourceType],
      resourceName: r.resourceName,
      resourcePatternType: PATTERN_TYPES[r.patternType],
      principal: r.principal,
      host: '*',
      operation: OPERATIONS[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
    return acl.length;
  } finally {
    await admin.disconnect();
  }
}
