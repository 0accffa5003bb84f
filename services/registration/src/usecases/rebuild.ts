import { readTopicToEnd, type createKafka } from '@expo/bus';
import { scanKeys, type RebuildRun } from '@expo/service-kit';
import { storedBadgeOf, type RegistrationStore } from '../store/registration-store.ts';
import type { Expo, RegistrationTopics } from './deps.ts';

type Kafka = ReturnType<typeof createKafka>;

export interface RebuildReport {
  readonly attendees: number;
  readonly exhibitors: number;
  readonly delegations: number;
  readonly badges: number;
  /**
   * Registrations the outbox held: kept (not on the log yet, or only their attendee), folded (on the
   * log whole, or ended there), dropped (their email taken).
   */
  readonly outbox: { readonly kept: number; readonly folded: number; readonly dropped: number };
  readonly seconds: number;
}

async function deleteEntityKeys(store: RegistrationStore): Promise<void> {
  for (const pattern of store.keys.entityPatterns()) {
    await scanKeys(store.redis, pattern, async (keys) => void (await store.redis.unlink(...keys)));
  }
}

/**
 * Registration's Redis state from its compacted topics alone (the latest record per key; a
 * tombstone removes): attendees with their email index, badges, exhibitors with their key index,
 * delegations. Records of other expos on the same topics are skipped. The outbox is kept: a
 * registration it holds whose records were folded, or whose attendee was erased or cancelled since,
 * leaves it; one whose records are not on the log yet may still land (a write kafkajs retries after
 * the producer gave up), so it keeps its email and stays to be written, never re-registered as
 * someone new; one with only its attendee on the log stays for its badge to be written. Lost with
 * Redis, the outbox is gone: a retry of such a request then registers afresh.
 */
export async function rebuildState(
  deps: { store: RegistrationStore; kafka: Kafka; topics: RegistrationTopics; expo: Expo },
  run: Pick<RebuildRun, 'checkpoint' | 'folded'>,
): Promise<RebuildReport> {
  const started = Date.now();
  const { store, expo } = deps;
  await run.checkpoint();
  const sightings = await store.outbox.watch();
  await deleteEntityKeys(store);
  const counts = { attendees: 0, exhibitors: 0, delegations: 0, badges: 0 };

  let pipeline = store.redis.pipeline();
  const flushEvery = async (n: number) => {
    if (pipeline.length >= n) {
      await run.checkpoint();
      run.folded(pipeline.length);
      await pipeline.exec();
      pipeline = store.redis.pipeline();
    }
  };
  await readTopicToEnd(
    deps.kafka,
    deps.topics.attendees,
    async (record) => {
      if (record.kind === 'tombstone') {
        sightings.attendee(record.key);
        // An erasure carries only the id: the email it held is read from what was rebuilt so far
        // (rare, so a flush here costs little; keeping every attendee's email key in memory took
        // peak RSS from 358 to 626 MB at 400,000 attendees).
        await flushEvery(0);
        const erased = await store.attendee(record.key);
        if (erased) await store.forgetAttendee(erased);
      } else {
        const { changed: _changed, ...attendee } = record.event.data;
        sightings.attendee(attendee.attendeeId);
        pipeline.set(store.keys.attendee(attendee.attendeeId), JSON.stringify(attendee));
        if (attendee.status === 'active') pipeline.set(store.keys.email(attendee.email), attendee.attendeeId);
        else pipeline.del(store.keys.email(attendee.email));
        counts.attendees++;
      }
      await flushEvery(5000);
    },
    { eventId: expo.expoId },
  );
  await readTopicToEnd(
    deps.kafka,
    deps.topics.badges,
    async (record) => {
      if (record.kind === 'tombstone') {
        sightings.badge(record.key);
        pipeline.del(store.keys.badge(record.key));
      } else {
        const badge = storedBadgeOf(record.event.data);
        sightings.badge(badge.badgeId);
        pipeline.set(store.keys.badge(badge.badgeId), JSON.stringify(badge));
        counts.badges++;
      }
      await flushEvery(5000);
    },
    { eventId: expo.expoId },
  );
  await readTopicToEnd(
    deps.kafka,
    deps.topics.exhibitors,
    (record) => {
      if (record.kind === 'event') {
        const { changed: _changed, ...exhibitor } = record.event.data;
        pipeline.set(store.keys.exhibitor(exhibitor.exhibitorId), JSON.stringify(exhibitor));
        if (exhibitor.keyHash) pipeline.set(store.keys.exhibitorKey(exhibitor.keyHash), exhibitor.exhibitorId);
        counts.exhibitors++;
      }
    },
    { eventId: expo.expoId },
  );
  await readTopicToEnd(
    deps.kafka,
    deps.topics.delegations,
    (record) => {
      if (record.kind === 'event') {
        const { changed: _changed, ...delegation } = record.event.data;
        pipeline.set(store.keys.delegation(delegation.delegationId), JSON.stringify(delegation));
        counts.delegations++;
      }
    },
    { eventId: expo.expoId },
  );
  await flushEvery(0);
  await run.checkpoint();
  const outbox = await store.outbox.restoreAfterRebuild(sightings);
  return { ...counts, outbox, seconds: (Date.now() - started) / 1000 };
}
