import type { Kafka } from 'kafkajs';

/** Per topic, per partition, the end offset (only partitions holding records). */
export type TopicEnds = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface GroupWaitOptions {
  /** Called before every look at the broker: a caller that must stop (a lost lease) throws here. */
  readonly beforeEachPoll?: () => Promise<void>;
  /** Epoch ms after which waiting fails. */
  readonly deadline: number;
  readonly pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withAdmin<T>(kafka: Kafka, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The end offsets the topics have now, and how many records they hold. */
export function topicEnds(kafka: Kafka, topics: Iterable<string>): Promise<{ ends: TopicEnds; records: number }> {
  return withAdmin(kafka, async (admin) => {
    const ends = new Map<string, Map<number, number>>();
    let records = 0;
    for (const topic of new Set(topics)) {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends.set(topic, new Map(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)])));
      records += offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
    }
    return { ends, records };
  });
}

/**
 * Deletes consumer groups (their committed offsets) once none has a member, so that their next
 * consumers read from the beginning. Kafka refuses to delete a group with members.
 */
export function deleteGroupsOnceEmpty(kafka: Kafka, groups: readonly string[], options: GroupWaitOptions): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    for (;;) {
      await options.beforeEachPoll?.();
      const busy = (await admin.describeGroups([...groups])).groups.filter((g) => g.members.length > 0);
      if (busy.length === 0) break;
      if (Date.now() > options.deadline) throw new Error(`consumer groups still have members: ${busy.map((g) => g.groupId).join(', ')}`);
      await sleep(options.pollMs ?? 250);
    }
    const existing = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const known = groups.filter((g) => existing.has(g));
    if (known.length > 0) await admin.deleteGroups(known);
  });
}

/** Waits until each group has committed, on every partition of its topics, at least `ends`. */
export function waitForGroupsToReach(
  kafka: Kafka,
  groups: Readonly<Record<string, readonly string[]>>,
  ends: TopicEnds,
  options: GroupWaitOptions,
): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    for (const [groupId, topics] of Object.entries(groups)) {
      for (;;) {
        await options.beforeEachPoll?.();
        const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
        const at = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, Number(p.offset)] as const)));
        const behind = topics.some((topic) => [...(ends.get(topic) ?? [])].some(([partition, end]) => (at.get(`${topic}:${partition}`) ?? -1) < end));
        if (!behind) break;
        if (Date.now() > options.deadline) throw new Error(`consumer group ${groupId} did not reach the end offsets in time`);
        await sleep(options.pollMs ?? 250);
      }
    }
  });
}

/**
 * Moves a group's committed offsets on the topics forward to `ends` (never back), once the group
 * has no member: after a rebuild that folded the topics up to `ends`, its consumers go on from
 * there instead of reading again what the fold already holds. Answers false when the group kept
 * members past the deadline (its consumers then go on from their own commits, which is slower,
 * not wrong).
 */
export function advanceGroupTo(kafka: Kafka, groupId: string, ends: TopicEnds, options: GroupWaitOptions): Promise<boolean> {
  return withAdmin(kafka, async (admin) => {
    for (;;) {
      await options.beforeEachPoll?.();
      const [group] = (await admin.describeGroups([groupId])).groups;
      if (!group || group.members.length === 0) break;
      if (Date.now() > options.deadline) return false;
      await sleep(options.pollMs ?? 250);
    }
    const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
    const at = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, Number(p.offset)] as const)));
    const forward = [...ends]
      .map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions]
          .filter(([partition, end]) => (at.get(`${topic}:${partition}`) ?? -1) < end)
          .map(([partition, end]) => ({ partition, offset: String(end) })),
      }))
      .filter((t) => t.partitions.length > 0);
    if (forward.length === 0) return true;
    // A member may have joined since the look (the join then fails or seeks nothing): not a reason to fail.
    return seekAsMember(kafka, groupId, forward).then(
      () => true,
      () => false,
    );
  });
}

/**
 * Commits offsets for a group with no other member, all topics in one join. kafkajs's
 * `admin.setOffsets` does the same for one topic, but its consumer, every partition paused, sleeps
 * its fetch wait (5 s) before the fetch that commits the seeks: 20 s of a rebuild of four topics.
 */
async function seekAsMember(
  kafka: Kafka,
  groupId: string,
  offsets: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number; offset: string }> }>,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, retry: { retries: 2 } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: offsets.map((o) => o.topic), fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      // The first fetch after the join applies (and, autoCommit on, commits) the seeks.
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause(offsets.map((o) => ({ topic: o.topic })));
      for (const { topic, partitions } of offsets) for (const { partition, offset } of partitions) consumer.seek({ topic, partition, offset });
    });
  } finally {
    await consumer.disconnect();
  }
}
