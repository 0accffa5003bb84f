import { deleteGroupsOnceEmpty, topicEnds, waitForGroupsToReach, type createKafka } from '@expo/bus';
import { scanKeys, type RebuildRun, type RedisClient } from '@expo/service-kit';
import { analyticsPrefix } from '../store/keys.ts';

export interface RefoldDeps {
  readonly redis: RedisClient;
  readonly kafka: ReturnType<typeof createKafka>;
  readonly expoId: string;
  /** Each consumer group of the service with the topics it folds. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /**
   * Groups folded one stage after another (default: all at once). A scan's first entry takes the
   * visitor's category, country and sectors from the attendee records folded so far: the reference
   * topics reach their ends before the scans are folded, as they were when the scans happened.
   */
  readonly stages?: ReadonlyArray<readonly string[]>;
  /** Bound on the whole refold. */
  readonly timeoutMs?: number;
}

export interface RefoldReport {
  readonly keysDeleted: number;
  readonly records: number;
}

async function deleteFigures(deps: RefoldDeps, run: Pick<RebuildRun, 'checkpoint'>): Promise<number> {
  let deleted = 0;
  await scanKeys(
    deps.redis,
    `${analyticsPrefix(deps.expoId)}*`,
    async (keys) => {
      await run.checkpoint();
      deleted += await deps.redis.unlink(...keys);
    },
    5000,
  );
  return deleted;
}

/**
 * Analytics' state is the fold of its topics by its own consumers, each record applied exactly once
 * by its log position (the last offset applied for each key of a partition, kept in Redis with the
 * figures; record ids are a second guard). Lost or stale, it is folded again from the start of the
 * topics: the figures and their positions are cleared, the groups' offsets forgotten once every
 * instance has left them, the consumers started from the beginning (the reference groups first,
 * see `stages`), and the state is whole once they reach the ends the topics had when the refold
 * began. A stale copy is not resumed from: nothing says which of its writes it missed.
 */
export async function refoldFromLog(deps: RefoldDeps, run: Pick<RebuildRun, 'checkpoint' | 'folded' | 'startConsumers'>): Promise<RefoldReport> {
  const wait = { beforeEachPoll: () => run.checkpoint(), deadline: Date.now() + (deps.timeoutMs ?? 30 * 60_000) };
  const keysDeleted = await deleteFigures(deps, run);
  await deleteGroupsOnceEmpty(deps.kafka, Object.keys(deps.groups), wait);
  const { ends, records } = await topicEnds(deps.kafka, Object.values(deps.groups).flat());
  for (const stage of deps.stages ?? [Object.keys(deps.groups)]) {
    run.startConsumers(stage);
    await waitForGroupsToReach(deps.kafka, Object.fromEntries(stage.map((g) => [g, deps.groups[g] ?? []])), ends, wait);
  }
  run.folded(records);
  return { keysDeleted, records };
}
