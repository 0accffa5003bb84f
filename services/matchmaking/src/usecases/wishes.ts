import { randomUUID } from 'node:crypto';
import { preferencePairId, PurchaseRequirement, type PreferenceBody, type PreferenceLevel, type PurchaseRequirementBody } from '@expo/schemas';
import { forbidden, invalidRequest, isAppError, notFound, type Principal } from '@expo/service-kit';
import type { MatchmakingDeps } from './deps.ts';
import { actOnMeeting } from './meetings.ts';
import { actsFor } from './parties.ts';

/** Tells every instance (its changes-feed tail) that a buyer's requirements or a preference changed. */
async function announce(deps: MatchmakingDeps, kind: 'requirements' | 'preference', id: string): Promise<void> {
  await deps.redis.xadd(deps.keys.changes(), 'MAXLEN', '~', 100_000, '*', 'kind', kind, 'id', id);
}

export async function loadRequirements(deps: MatchmakingDeps, buyerId: string): Promise<PurchaseRequirement[]> {
  const values = await deps.redis.hvals(deps.keys.requirements(buyerId));
  return values.map((v) => PurchaseRequirement.parse(JSON.parse(v))).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function checkBuyer(deps: MatchmakingDeps, buyerId: string, principal: Principal): void {
  if (!deps.recommender.buyers.has(buyerId)) throw notFound('Buyer');
  if (!actsFor(principal, buyerId, deps.recommender) && principal.role !== 'ops')
    throw forbidden('Only the buyer itself (or admin) may see or change its requirements');
}

// Kafka first, then Redis (promise 1, docs/promises.md): a requirement, preference or session answered is on its
// compacted topic, so a rebuild brings it back; one Kafka refused changes nothing (a 503).

export async function addRequirement(deps: MatchmakingDeps, buyerId: string, body: PurchaseRequirementBody): Promise<PurchaseRequirement> {
  const requirement: PurchaseRequirement = { ...body, requirementId: randomUUID(), buyerId, createdAt: deps.now().toISOString() };
  await deps.producer.send(deps.topics.requirements, [{ type: 'requirement.posted', eventId: deps.expoId, data: requirement }]);
  await deps.redis
    .multi()
    .hset(deps.keys.requirements(buyerId), requirement.requirementId, JSON.stringify(requirement))
    .sadd(deps.keys.requirementBuyers(), buyerId)
    .exec();
  deps.recommender.setRequirements(buyerId, await loadRequirements(deps, buyerId));
  await announce(deps, 'requirements', buyerId);
  return requirement;
}

export async function deleteRequirement(deps: MatchmakingDeps, buyerId: string, requirementId: string): Promise<void> {
  if ((await deps.redis.hexists(deps.keys.requirements(buyerId), requirementId)) === 0) throw notFound('Requirement');
  const withdrawn = { requirementId, buyerId, withdrawnAt: deps.now().toISOString() };
  await deps.producer.send(deps.topics.requirements, [{ type: 'requirement.withdrawn', eventId: deps.expoId, data: withdrawn }]);
  await deps.redis.hdel(deps.keys.requirements(buyerId), requirementId);
  deps.recommender.setRequirements(buyerId, await loadRequirements(deps, buyerId));
  await announce(deps, 'requirements', buyerId);
}

export async function setPreference(deps: MatchmakingDeps, body: PreferenceBody, principal: Principal): Promise<void> {
  const { buyers, exhibitors } = deps.recommender;
  const known = (id: string) => buyers.has(id) || exhibitors.has(id);
  if (!known(body.fromId)) throw notFound('Party fromId');
  if (!known(body.toId)) throw notFound('Party toId');
  if (buyers.has(body.fromId) === buyers.has(body.toId)) {
    throw invalidRequest('A preference is between a buyer and an exhibitor', [{ path: 'body.toId', message: 'the same kind of party as fromId' }]);
  }
  if (!actsFor(principal, body.fromId, deps.recommender)) throw forbidden('Only the party itself (or admin) states its preferences');
  const pairId = preferencePairId(body.fromId, body.toId);
  await deps.producer.send(deps.topics.preferences, [
    { type: 'preference.set', eventId: deps.expoId, data: { pairId, ...body, setAt: deps.now().toISOString() } },
  ]);
  await deps.redis.hset(deps.keys.preferences(), pairId, body.level);
  deps.recommender.setPreference(body.fromId, body.toId, body.level);
  await announce(deps, 'preference', pairId);
  if (body.level === 'no') await cancelOpenMeeting(deps, body.fromId, body.toId);
}

/** A "no" also ends the pair's open meeting, so it is never scheduled. */
async function cancelOpenMeeting(deps: MatchmakingDeps, fromId: string, toId: string): Promise<void> {
  const [buyerId, exhibitorId] = deps.recommender.buyers.has(fromId) ? [fromId, toId] : [toId, fromId];
  const meetingId = await deps.redis.get(deps.keys.pair(buyerId, exhibitorId));
  if (!meetingId) return;
  // Another change may have ended it meanwhile (a 409 here): then there is nothing left to cancel.
  await actOnMeeting(deps, meetingId, 'cancel', 'system').catch((error: unknown) => {
    if (!isAppError(error)) throw error;
  });
}

/** Applies one announced change from the shared store to this instance's recommender. */
export async function applyChange(deps: MatchmakingDeps, kind: string, id: string): Promise<void> {
  if (kind === 'requirements') deps.recommender.setRequirements(id, await loadRequirements(deps, id));
  if (kind === 'preference') {
    const level = await deps.redis.hget(deps.keys.preferences(), id);
    const [fromId, toId] = id.split('|');
    if (level && fromId && toId) deps.recommender.setPreference(fromId, toId, level as PreferenceLevel);
  }
}

/** Everything posted so far, at start-up (requirements and preferences live in Redis, shared by instances). */
export async function loadAllWishes(deps: MatchmakingDeps): Promise<void> {
  const buyers = await deps.redis.smembers(deps.keys.requirementBuyers());
  for (let i = 0; i < buyers.length; i += 500) {
    const batch = buyers.slice(i, i + 500);
    const pipeline = deps.redis.pipeline();
    for (const buyerId of batch) pipeline.hvals(deps.keys.requirements(buyerId));
    const results = (await pipeline.exec()) ?? [];
    batch.forEach((buyerId, j) => {
      const values = (results[j]?.[1] ?? []) as string[];
      const requirements = values.map((v) => PurchaseRequirement.parse(JSON.parse(v))).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      deps.recommender.setRequirements(buyerId, requirements);
    });
  }
  const preferences = await deps.redis.hgetall(deps.keys.preferences());
  for (const [pair, level] of Object.entries(preferences)) {
    const [fromId, toId] = pair.split('|');
    if (fromId && toId) deps.recommender.setPreference(fromId, toId, level as PreferenceLevel);
  }
}
