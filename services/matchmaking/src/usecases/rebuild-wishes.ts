import { readTopicToEnd, type createKafka } from '@expo/bus';
import type { MatchmakingSession, PurchaseRequirement } from '@expo/schemas';
import type { RebuildRun } from '@expo/service-kit';
import type { MatchmakingDeps } from './deps.ts';

type Kafka = ReturnType<typeof createKafka>;

export interface WishesReport {
  readonly requirements: number;
  readonly preferences: number;
  readonly sessions: number;
}

/**
 * Requirements, preferences and sessions from their compacted topics alone (the latest record per
 * key; a withdrawn requirement stays out), written over what Redis holds of them. Records of other
 * expos are skipped.
 */
export async function rebuildWishes(
  deps: Pick<MatchmakingDeps, 'redis' | 'keys' | 'topics' | 'expoId'>,
  kafka: Kafka,
  run: Pick<RebuildRun, 'checkpoint' | 'folded'>,
): Promise<WishesReport> {
  const requirements = new Map<string, PurchaseRequirement | null>();
  await readTopicToEnd(
    kafka,
    deps.topics.requirements,
    (record) => {
      if (record.kind === 'tombstone') requirements.delete(record.key);
      else {
        const { event } = record;
        requirements.set(event.data.requirementId, event.type === 'requirement.posted' ? event.data : null);
      }
    },
    { eventId: deps.expoId },
  );
  const preferences = new Map<string, string>();
  await readTopicToEnd(
    kafka,
    deps.topics.preferences,
    (record) => {
      if (record.kind === 'tombstone') preferences.delete(record.key);
      else preferences.set(record.event.data.pairId, record.event.data.level);
    },
    { eventId: deps.expoId },
  );
  const sessions = new Map<string, MatchmakingSession>();
  await readTopicToEnd(
    kafka,
    deps.topics.sessions,
    (record) => {
      if (record.kind === 'tombstone') sessions.delete(record.key);
      else sessions.set(record.event.data.sessionId, record.event.data);
    },
    { eventId: deps.expoId },
  );

  const posted = [...requirements.values()].filter((r): r is PurchaseRequirement => r !== null);
  const buyers = new Set(posted.map((r) => r.buyerId));
  const stale = await deps.redis.smembers(deps.keys.requirementBuyers());
  const pipeline = deps.redis.pipeline();
  for (const buyerId of new Set([...stale, ...buyers])) pipeline.unlink(deps.keys.requirements(buyerId));
  pipeline.unlink(deps.keys.requirementBuyers(), deps.keys.preferences());
  for (const r of posted) pipeline.hset(deps.keys.requirements(r.buyerId), r.requirementId, JSON.stringify(r));
  if (buyers.size > 0) pipeline.sadd(deps.keys.requirementBuyers(), ...buyers);
  if (preferences.size > 0) pipeline.hset(deps.keys.preferences(), Object.fromEntries(preferences));
  for (const session of sessions.values()) pipeline.set(deps.keys.session(session.sessionId), JSON.stringify(session));
  await run.checkpoint();
  await pipeline.exec();
  run.folded(requirements.size + preferences.size + sessions.size);
  return { requirements: posted.length, preferences: preferences.size, sessions: sessions.size };
}
