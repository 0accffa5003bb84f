import { describe, expect, it } from 'vitest';
import { aclAllows, dlqTopicName, DOWNSTREAM_USER, KAFKA_ACL_USERS, kafkaAcls, kafkaPrincipal, SERVICE_NAMES, TOPICS } from '../src/index.ts';

const topics = Object.values(TOPICS);
const acls = kafkaAcls();
const topic = (name: string) => ({ type: 'topic' as const, name });
const group = (name: string) => ({ type: 'group' as const, name });

describe('kafkaAcls', () => {
  it.each(topics.map((t) => [t.name, t.producer] as const))('%s: only its producer (%s) may write it', (name, producer) => {
    const writers = KAFKA_ACL_USERS.filter((u) => aclAllows(acls, u, 'write', topic(name)));
    expect(writers).toEqual([producer]);
  });

  it.each(topics.map((t) => [t.name, t.consumers] as const))('%s: its consumers and downstream read it, nobody else', (name, consumers) => {
    const readers = KAFKA_ACL_USERS.filter((u) => aclAllows(acls, u, 'read', topic(name)));
    expect(new Set(readers)).toEqual(new Set([...consumers, DOWNSTREAM_USER]));
  });

  it('lets only the consumers of a topic write its dead-letter twin, where they dead-letter', () => {
    for (const t of topics) {
      const writers = KAFKA_ACL_USERS.filter((u) => aclAllows(acls, u, 'write', topic(dlqTopicName(t.name))));
      expect(new Set(writers)).toEqual(new Set(t.consumers));
    }
  });

  it('gives downstream reading only: no write, no idempotent producer, no dead letters', () => {
    expect(topics.every((t) => !aclAllows(acls, DOWNSTREAM_USER, 'write', topic(t.name)))).toBe(true);
    expect(topics.every((t) => !aclAllows(acls, DOWNSTREAM_USER, 'describe', topic(dlqTopicName(t.name))))).toBe(true);
    expect(aclAllows(acls, DOWNSTREAM_USER, 'idempotent-write', { type: 'cluster', name: 'kafka-cluster' })).toBe(false);
    expect(aclAllows(acls, DOWNSTREAM_USER, 'read', group('downstream.bi'))).toBe(true);
    expect(aclAllows(acls, DOWNSTREAM_USER, 'read', group('analytics.ciie-2024.scans'))).toBe(false);
  });

  it('lets each service join only groups named after it, and read-to-end groups of topics it reads', () => {
    for (const service of SERVICE_NAMES) {
      expect(aclAllows(acls, service, 'read', group(`${service}.ciie-2024.x`))).toBe(true);
      for (const other of SERVICE_NAMES.filter((s) => s !== service)) expect(aclAllows(acls, service, 'read', group(`${other}.ciie-2024.x`))).toBe(false);
    }
    expect(aclAllows(acls, 'badge-scanning', 'read', group('matchmaking.ciie-2024.cancellations'))).toBe(false);
    expect(aclAllows(acls, 'registration', 'delete', group(`reader.${TOPICS.badges.name}.0f3a`))).toBe(true);
    expect(aclAllows(acls, 'registration', 'read', group(`reader.${TOPICS.scans.name}.0f3a`))).toBe(false);
  });

  it('names the prefixed topics when the deployment has a TOPIC_PREFIX', () => {
    const prefixed = kafkaAcls({ topicPrefix: 'staging.' });
    expect(aclAllows(prefixed, 'badge-scanning', 'write', topic(`staging.${TOPICS.scans.name}`))).toBe(true);
    expect(aclAllows(prefixed, 'badge-scanning', 'write', topic(TOPICS.scans.name))).toBe(false);
    expect(prefixed.filter((r) => r.resourceType === 'topic').every((r) => r.resourceName.startsWith('staging.'))).toBe(true);
    expect(prefixed).toHaveLength(acls.length);
  });

  it('holds one rule per principal and resource', () => {
    const keys = acls.map((r) => `${r.principal}|${r.resourceType}|${r.patternType}|${r.resourceName}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(acls.map((r) => r.principal))).toEqual(new Set(KAFKA_ACL_USERS.map(kafkaPrincipal)));
  });
});
