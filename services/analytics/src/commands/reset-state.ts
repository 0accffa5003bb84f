import type { Redis } from 'ioredis';
import type { createKafka } from '@expo/bus';
import { analyticsPrefix } from '../store/keys.ts';

export interface ResetReport {
  readonly keysDeleted: number;
  readonly groupsDeleted: readonly string[];
}

/**
 * Forgets every figure of an expo and its consumer groups' offsets, so that the next start of the
 * service reads the topics from the beginning and computes every figure again (the figures are a
 * fold of the topics: the same records give the same figures). Run it with the service stopped:
 * Kafka refuses to delete a group that has members.
 */
export async function resetAnalytics(deps: { redis: Redis; kafka: ReturnType<typeof createKafka>; expoId: string; consumerGroup: string }): Promise<ResetReport> {
  const prefix = analyticsPrefix(deps.expoId);
  let keysDeleted = 0;
  for (let cursor = '0'; ; ) {
    const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) keysDeleted += await deps.redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  const admin = deps.kafka.admin();
  await admin.connect();
  try {
    const groups = [`${deps.consumerGroup}.scans`, `${deps.consumerGroup}.reference`];
    const existing = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const groupsDeleted = groups.filter((g) => existing.has(g));
    if (groupsDeleted.length > 0) await admin.deleteGroups(groupsDeleted);
    return { keysDeleted, groupsDeleted };
  } finally {
    await admin.disconnect();
  }
}
