// Who may do what on the broker, derived from the topic table (topics.ts): least privilege between
// the services (docs/architecture.md, "Kafka is the only channel between services"). The broker's
// secured mode (infra/src/kafka) creates exactly these ACLs; everything not listed is denied.

import { dlqTopicName, SERVICE_NAMES, TOPICS, type ServiceName } from './topics.ts';

/** Reads every platform topic and writes none: a data team, a BI tool, another company's system. */
export const DOWNSTREAM_USER = 'downstream';
/** The broker's super user: provisioning, ACLs, `pnpm dlq replay`, the broker's own connections. */
export const KAFKA_ADMIN_USER = 'admin';

/** Every user that holds ACLs (the admin needs none: it is a super user). */
export const KAFKA_ACL_USERS = [...SERVICE_NAMES, DOWNSTREAM_USER] as const;
export type KafkaAclUser = (typeof KAFKA_ACL_USERS)[number];

export type AclResourceType = 'topic' | 'group' | 'cluster';
export type AclPatternType = 'literal' | 'prefixed';
export type AclOperation = 'read' | 'write' | 'describe' | 'delete' | 'idempotent-write';

/** Kafka's only cluster resource name. */
export const KAFKA_CLUSTER_RESOURCE = 'kafka-cluster';

export interface AclRule {
  /** `User:<name>`, as the broker names a SCRAM-authenticated user. */
  readonly principal: `User:${string}`;
  readonly resourceType: AclResourceType;
  readonly patternType: AclPatternType;
  readonly resourceName: string;
  /** Allowed operations; every rule allows, none denies. */
  readonly operations: readonly AclOperation[];
  /** Why the rule exists, for a person reading the table. */
  readonly why: string;
}

export function kafkaPrincipal(user: string): `User:${string}` {
  return `User:${user}`;
}

/**
 * The prefix of a throw-away group of `readTopicToEnd` (packages/bus/src/reader.ts) on `topic`:
 * `reader.<topic>.<uuid>`. A rebuild deletes its group afterwards.
 */
export function readerGroupPrefix(topic: string): string {
  return `reader.${topic}.`;
}

/** The group a `pnpm dlq replay` of a dead-letter topic commits in (packages/bus/src/dlq-counts.ts). */
export const DLQ_REPLAY_GROUP_PREFIX = 'dlq-replay.';

export interface KafkaAclOptions {
  /** The deployment's `TOPIC_PREFIX`: the rules name the prefixed topics, literally. */
  readonly topicPrefix?: string;
}

function topicRule(user: string, name: string, operations: readonly AclOperation[], why: string): AclRule {
  return { principal: kafkaPrincipal(user), resourceType: 'topic', patternType: 'literal', resourceName: name, operations, why };
}

function groupRule(user: string, prefix: string, operations: readonly AclOperation[], why: string): AclRule {
  return { principal: kafkaPrincipal(user), resourceType: 'group', patternType: 'prefixed', resourceName: prefix, operations, why };
}

function serviceRules(service: ServiceName, prefix: string): AclRule[] {
  const rules: AclRule[] = [
    {
      principal: kafkaPrincipal(service),
      resourceType: 'cluster',
      patternType: 'literal',
      resourceName: KAFKA_CLUSTER_RESOURCE,
      operations: ['idempotent-write'],
      why: 'the bus producer is idempotent (packages/bus/src/producer.ts)',
    },
    // Group ids start with the service's name (`matchmaking.<expo>.cancellations`); a rebuild
    // deletes or moves its groups once empty (packages/bus/src/group-offsets.ts).
    groupRule(service, `${service}.`, ['read', 'describe', 'delete'], 'its own consumer groups'),
  ];
  for (const topic of Object.values(TOPICS)) {
    const name = `${prefix}${topic.name}`;
    if (topic.producer === service) rules.push(topicRule(service, name, ['write', 'describe'], 'produces it'));
    if (!(topic.consumers as readonly ServiceName[]).includes(service)) continue;
    rules.push(
      topicRule(service, name, ['read', 'describe'], topic.producer === service ? 'reads it back to rebuild' : 'consumes it'),
      // A consumer dead-letters a record it cannot handle into the twin of the topic it read (dlq.ts).
      topicRule(service, dlqTopicName(name), ['write', 'describe'], 'dead-letters what it cannot handle'),
      groupRule(service, readerGroupPrefix(name), ['read', 'describe', 'delete'], 'reads it to the end in a throw-away group'),
    );
  }
  return rules;
}

/** The ops dashboard counts every dead-letter topic and its replays (services/analytics, GET /v1/dlq). */
function dashboardRules(prefix: string): AclRule[] {
  return [
    ...Object.values(TOPICS).map((t) => topicRule('analytics', dlqTopicName(`${prefix}${t.name}`), ['describe'], 'counts its dead letters')),
    groupRule('analytics', `${DLQ_REPLAY_GROUP_PREFIX}${prefix}`, ['describe'], 'counts what replays have re-produced'),
  ];
}

function downstreamRules(prefix: string): AclRule[] {
  return [
    ...Object.values(TOPICS).map((t) => topicRule(DOWNSTREAM_USER, `${prefix}${t.name}`, ['read', 'describe'], 'reads every platform topic')),
    groupRule(DOWNSTREAM_USER, `${DOWNSTREAM_USER}.`, ['read', 'describe'], 'its own consumer groups'),
  ];
}

/**
 * The broker's ACL table, derived from TOPICS: each service writes only the topics it produces,
 * reads only those it consumes (or reads back to rebuild), dead-letters into their twins, and
 * joins only its own groups; downstream reads every platform topic and writes none.
 */
export function kafkaAcls(options: KafkaAclOptions = {}): AclRule[] {
  const prefix = options.topicPrefix ?? '';
  return mergeRules([...SERVICE_NAMES.flatMap((s) => serviceRules(s, prefix)), ...dashboardRules(prefix), ...downstreamRules(prefix)]);
}

/** One rule per principal and resource: a producer that reads its topic back holds one rule for both. */
function mergeRules(rules: readonly AclRule[]): AclRule[] {
  const byKey = new Map<string, AclRule>();
  for (const rule of rules) {
    const key = `${rule.principal}|${rule.resourceType}|${rule.patternType}|${rule.resourceName}`;
    const held = byKey.get(key);
    byKey.set(key, held ? { ...held, operations: [...new Set([...held.operations, ...rule.operations])], why: `${held.why}; ${rule.why}` } : rule);
  }
  return [...byKey.values()];
}

/** Operations Kafka treats as also allowing DESCRIBE. */
const IMPLIES_DESCRIBE: ReadonlySet<AclOperation> = new Set(['read', 'write', 'delete']);

/**
 * Whether the table lets `user` do `operation` on a resource, as the broker's authorizer decides
 * it (a literal rule names the resource, a prefixed rule starts it; read, write and delete imply
 * describe). The admin, a super user, may do anything.
 */
export function aclAllows(
  acls: readonly AclRule[],
  user: string,
  operation: AclOperation,
  resource: { readonly type: AclResourceType; readonly name: string },
): boolean {
  if (user === KAFKA_ADMIN_USER) return true;
  return acls.some(
    (r) =>
      r.principal === kafkaPrincipal(user) &&
      r.resourceType === resource.type &&
      (r.patternType === 'literal' ? r.resourceName === resource.name : resource.name.startsWith(r.resourceName)) &&
      (r.operations.includes(operation) || (operation === 'describe' && r.operations.some((o) => IMPLIES_DESCRIBE.has(o)))),
  );
}
