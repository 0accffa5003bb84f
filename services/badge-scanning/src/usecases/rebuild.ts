import { advanceGroupTo, readTopicToEnd, type createKafka, type TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { RebuildRun, RedisClient } from '@expo/service-kit';
import { registrationHandlers } from './registration-records.ts';
import { ScanFold } from '../domain/scan-fold.ts';
import type { ScanningKeys } from '../store/keys.ts';
import type { PersonRecord, RegistryStore } from '../store/registry-store.ts';
import type { ScanStore } from '../store/scan-store.ts';
import type { ZoneStore } from '../store/zone-store.ts';
import type { ScanningTopics } from './deps.ts';
import { decisionFromRecords, type RestoredDecision } from './decision-records.ts';
import { KeyedWindow } from './keyed-window.ts';

type Kafka = ReturnType<typeof createKafka>;
type ScanEvent = TopicEvent<typeof TOPICS.scans>;

export interface RebuildDeps {
  readonly redis: RedisClient;
  readonly keys: ScanningKeys;
  readonly zones: ZoneStore;
  readonly registry: RegistryStore;
  readonly scans: ScanStore;
  readonly kafka: Kafka;
  readonly topics: ScanningTopics;
  readonly expoId: string;
  readonly memorySeconds: number;
  /** The group of the registration consumer: moved on to where the rebuild read registration's topics. */
  readonly consumerGroup?: string;
}

export interface RebuildReport {
  readonly zones: number;
  readonly scanRecords: number;
  readonly badgesInside: number;
  readonly decisions: number;
  readonly seconds: number;
  /** Seconds from the start of the rebuild until each fold had ended (they run at once). */
  readonly registrationDoneAt: number;
  readonly scanLogReadAt: number;
  readonly scanLogWrittenAt: number;
}

/** Folds the scan log; the decisions of device scans still within memory are restored for replays. */
export async function foldScanLog(deps: Pick<RebuildDeps, 'kafka' | 'topics' | 'expoId'>, onScan?: (events: ScanEvent[]) => Promise<void>): Promise<ScanFold> {
  const fold = new ScanFold();
  // The records of one scan are consecutive for its badge: gathered, then handed on together.
  const open = new Map<string, ScanEvent[]>();
  const flush = async (badgeId: string) => {
    const events = open.get(badgeId);
    open.delete(badgeId);
    if (events && onScan) await onScan(events);
  };
  await readTopicToEnd(
    deps.kafka,
    deps.topics.scans,
    async (record) => {
      if (record.kind !== 'event') return;
      const event = record.event;
      fold.apply(event);
      if (!onScan) return;
      if (event.type === 'scan.annulled') {
        await flush(event.data.badgeId);
        return onScan([event]);
      }
      const group = open.get(event.data.badgeId);
      if (group && group[0]!.data.scanId !== event.data.scanId) await flush(event.data.badgeId);
      const records = open.get(event.data.badgeId);
      if (records) records.push(event);
      else open.set(event.data.badgeId, [event]);
    },
    { timeoutMs: 600_000, eventId: deps.expoId },
  );
  for (const badgeId of [...open.keys()]) await flush(badgeId);
  return fold;
}

/**
 * Badge-scanning's Redis state from the topics alone: zones with gates and devices, what it keeps
 * of registration, and occupancy and locations as the fold of the scan log.
 */
export async function rebuildState(deps: RebuildDeps, run: Pick<RebuildRun, 'checkpoint' | 'folded'>): Promise<RebuildReport> {
  const started = Date.now();
  await run.checkpoint();
  await deps.redis.unlink(...deps.keys.rebuildable());
  let zones = 0;
  let records = 0;
  // Records are written one by one here (the stores' own writes): the lease is renewed every 1,000.
  const every1000 = async () => {
    if (++records % 1000 === 0) {
      await run.checkpoint();
      run.folded(1000);
    }
  };
  await readTopicToEnd(
    deps.kafka,
    deps.topics.zones,
    async (record) => {
      await every1000();
      if (record.kind === 'tombstone') return deps.zones.remove(record.key);
      zones++;
      if (record.event.type === 'zone.removed') return deps.zones.remove(record.event.data.zoneId);
      const { changed: _changed, ...zone } = record.event.data;
      await deps.zones.save(zone);
    },
    { eventId: deps.expoId },
  );
  // Registration's topics and the scan log touch different keys: read at once, each fills the
  // other's waits for Kafka and Redis. Both have ended before a failure is passed on (a lost
  // lease), so nothing of this rebuild writes on behind the next one.
  const since = () => (Date.now() - started) / 1000;
  const [registration, scanLog] = await Promise.allSettled([
    foldRegistration(deps, every1000, run).then((readTo) => ({ readTo, at: since() })),
    foldScans(deps, run, since),
  ]);
  if (registration.status === 'rejected') throw registration.reason;
  if (scanLog.status === 'rejected') throw scanLog.reason;
  const [{ readTo, at: registrationDoneAt }, scans] = [registration.value, scanLog.value];
  if (deps.consumerGroup) {
    // The consumer goes on after what was folded, instead of reading registration's topics again.
    const wait = { beforeEachPoll: () => run.checkpoint(), deadline: Date.now() + 15_000 };
    await advanceGroupTo(deps.kafka, deps.consumerGroup, readTo, wait);
  }
  return {
    zones,
    scanRecords: scans.fold.records,
    badgesInside: scans.fold.location.size,
    decisions: scans.decisions,
    seconds: since(),
    registrationDoneAt,
    scanLogReadAt: scans.readAt,
    scanLogWrittenAt: scans.writtenAt,
  };
}

/** What badge-scanning keeps of registration's topics; answers where it read each topic to. */
async function foldRegistration(
  deps: RebuildDeps,
  every1000: () => Promise<void>,
  run: Pick<RebuildRun, 'checkpoint'>,
): Promise<Map<string, ReadonlyMap<number, number>>> {
  const readTo = new Map<string, ReadonlyMap<number, number>>();
  // Attendees, most of registration's records (430,000 at CIIE size), are folded in memory (the
  // last record of each wins, a tombstone erases) and written a few thousand at a time: one
  // transaction per record was a quarter of the rebuild's CPU.
  const people = new Map<string, PersonRecord | null>();
  const attendees = await readTopicToEnd(
    deps.kafka,
    deps.topics.attendees,
    async (record) => {
      await every1000();
      if (record.kind === 'tombstone') people.set(record.key, null);
      else {
        const { attendeeId, name, country, interests } = record.event.data;
        people.set(attendeeId, { name, country, interests });
      }
    },
    { timeoutMs: 600_000, eventId: deps.expoId },
  );
  await deps.registry.putPeople(new Map([...people].filter((e): e is [string, PersonRecord] => e[1] !== null)), () => run.checkpoint());
  readTo.set(deps.topics.attendees.name, attendees.ends);
  for (const handler of registrationHandlers(deps.topics, deps.registry)) {
    if (handler.contract.name === deps.topics.attendees.name) continue;
    // A round trip per record, awaited one by one, was most of a CIIE-size rebuild: records of
    // different keys are applied up to 256 at a time, one key's records still in log order.
    const window = new KeyedWindow(256);
    // Of badges, only revocations change what is kept here: issued badges (one per attendee) are skipped unparsed.
    const only = handler.contract.name === deps.topics.badges.name ? { only: ['badge.revoked'] } : {};
    const read = await readTopicToEnd(
      deps.kafka,
      handler.contract,
      async (record, key) => {
        await every1000();
        const context = { topic: handler.contract.name, partition: 0, offset: '0', key: record.kind === 'tombstone' ? record.key : null };
        await window.add(key ?? '', () =>
          record.kind === 'tombstone' ? (handler.onTombstone?.(record.key, context) ?? Promise.resolve()) : handler.handle(record.event, context),
        );
      },
      { timeoutMs: 600_000, eventId: deps.expoId, ...only },
    );
    await window.drain();
    readTo.set(handler.contract.name, read.ends);
  }
  return readTo;
}

/** The scan log: occupancy and locations written once folded, decisions restored as it goes. */
async function foldScans(
  deps: RebuildDeps,
  run: Pick<RebuildRun, 'checkpoint' | 'folded'>,
  since: () => number,
): Promise<{ fold: ScanFold; decisions: number; readAt: number; writtenAt: number }> {
  let decisions = 0;
  // Restored decisions go to Redis 1,000 a script call (two commands each through a pipeline were
  // a sixth of a CIIE-size rebuild's CPU), a few calls in flight while the log is read on: awaiting
  // each left the fold idle while Redis ran it. One connection runs them in the order sent, so an
  // annulment's mark still lands after the decision it marks.
  let batch: RestoredDecision[] = [];
  const inFlight: Array<Promise<void>> = [];
  const restore = async () => {
    await run.checkpoint();
    const call = deps.scans.restore(batch);
    call.catch(() => undefined); // awaited below; a failure meanwhile is not an unhandled rejection
    inFlight.push(call);
    batch = [];
    if (inFlight.length >= 4) await inFlight.shift();
  };
  const oldest = Date.now() - deps.memorySeconds * 1000;
  const capacities = new Map((await deps.zones.all()).map((z) => [z.zoneId, z.capacity]));
  const fold = await foldScanLog(deps, async (events) => {
    const restored = decisionFromRecords(events, oldest, (zoneId) => capacities.get(zoneId) ?? null);
    if (!restored) return;
    if (restored.decision !== null) decisions++;
    batch.push(restored);
    if (batch.length >= 1000) await restore();
  });
  if (batch.length > 0) await restore();
  await Promise.all(inFlight);
  const readAt = since();
  run.folded(fold.records);
  await writeFold(deps, fold, run);
  return { fold, decisions, readAt, writtenAt: since() };
}

async function writeFold(deps: RebuildDeps, fold: ScanFold, run: Pick<RebuildRun, 'checkpoint'>): Promise<void> {
  const k = deps.keys;
  const write = async (key: string, map: ReadonlyMap<string, string | number>) => {
    const entries = [...map];
    for (let i = 0; i < entries.length; i += 5000) {
      await run.checkpoint();
      await deps.redis.hset(key, Object.fromEntries(entries.slice(i, i + 5000)));
    }
  };
  await write(k.occupancy(), fold.occupancy);
  await write(k.location(), fold.location);
  await write(k.lastMove(), fold.lastMove);
  await write(k.badgeAttendee(), fold.attendeeOf);
}
