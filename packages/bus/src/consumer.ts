import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicContract } from '@expo/schemas';
import { DlqDepth } from './dlq-counts.ts';
import { decodeRecord, type Decoded } from './decode.ts';
import { deadLetterRecord } from './dlq.ts';
import { BUS_CLASSIFIERS, classifyFailure, type FailureClassifier } from './failure.ts';
import { contiguousDone, forEachLimited, groupByKey } from './key-groups.ts';
import { LagTracker } from './lag.ts';
import { busMetrics, type MetricsRegistry } from './metrics.ts';
import { PartitionStops, type PartitionStop } from './partition-stops.ts';
import type { BusProducer } from './producer.ts';
import type { RecordContext, TopicHandler } from './topic-handler.ts';
import { endSpan, runInSpan, startProcessSpan } from './tracing.ts';

export { on, type RecordContext, type TopicHandler } from './topic-handler.ts';

export interface ConsumerLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface ConsumerOptions {
  readonly groupId: string;
  readonly handlers: readonly TopicHandler[];
  /** Writes dead letters (`<topic>.dlq`). */
  readonly producer: BusProducer;
  /** Where a group without committed offsets starts (default: the beginning). */
  readonly fromBeginning?: boolean;
  /**
   * The expo this consumer folds (envelope `eventId`): events of other expos sharing the topics are
   * read past and committed without reaching a handler. Tombstones carry no envelope and always
   * reach it. Absent: every expo's events.
   */
  readonly eventId?: string;
  /** Attempts of a handler failing for no known transient reason before the record is dead-lettered (default 3). */
  readonly maxAttempts?: number;
  /** First wait before a retry; it doubles with each retry up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  /** Longest wait between two retries of a record failing on a dependency (default 2000 ms). */
  readonly maxRetryDelayMs?: number;
  /** Keys processed at once within one partition (default 8); one key's records stay in order. */
  readonly concurrency?: number;
  /** Partitions processed at once (default 1): overlaps one partition's waits with another's work. */
  readonly partitionsConcurrently?: number;
  /**
   * What knows a handler's errors, consulted before the bus's own (failure.ts): a failure classed
   * retryable (a dependency down) is retried with backoff until it succeeds or the consumer stops,
   * never dead-lettered, and nothing after it is committed. service-kit passes the platform's
   * policy (Redis, its error codes); a consumer adds its own only for errors only it knows.
   */
  readonly classifiers?: readonly FailureClassifier[];
  /**
   * While true, records wait before their handler runs (nothing is applied, nothing committed):
   * a consumer that folds into state that is being rebuilt must not act on part of it.
   */
  readonly hold?: () => boolean;
  /** Wait before the consumer is started again after it stopped on an error (default 2000 ms). */
  readonly relaunchDelayMs?: number;
  readonly metrics?: MetricsRegistry;
  readonly logger?: ConsumerLogger;
}

type Outcome = 'done' | 'aborted';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sleeps up to `ms`, in short steps so a consumer that is stopping does not wait out a long backoff. */
async function backoff(ms: number, keepGoing: () => boolean): Promise<void> {
  for (let left = ms; left > 0 && keepGoing(); left -= 100) await sleep(Math.min(100, left));
}

/**
 * The typed consumer: records are parsed against their topic's contract and handed to its
 * handler; offsets are committed only after the handlers succeeded. One failure policy:
 * - a record that cannot be parsed, or breaks the schema of the version it claims, goes to
 *   `<topic>.dlq` with its metadata and the reason, and consumption goes on;
 * - a handler failure classed retryable (failure.ts: a dependency down) is retried with backoff
 *   for as long as it takes, never dead-lettered; any other failure a few times, then dead-lettered;
 * - a record of a newer schema version that the known schema cannot read stops its partition
 *   there (nothing after it applied or committed, nothing dead-lettered; `bus_consumer_paused`).
 */
export class BusConsumer {
  private readonly consumer: Consumer;
  private readonly handlers: Map<string, TopicHandler>;
  private readonly lag: LagTracker;
  private readonly dlqDepth: DlqDepth;
  private readonly stops: PartitionStops;
  private readonly classifiers: readonly FailureClassifier[];
  private readonly metrics;
  private lagTimer: NodeJS.Timeout | null = null;
  private relaunchTimer: NodeJS.Timeout | null = null;
  private launching: Promise<void> | null = null;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions,
  ) {
    // Every start is this consumer's own (`launch`, which `stop` waits for): kafkajs restarting
    // itself after a crash joins the group behind a `stop` that came while it was joining (its stop
    // ends only a runner that has joined), and the member then stays in the group for good.
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      retry: { retries: 8, restartOnFailure: () => Promise.resolve(false) },
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => this.relaunchLater(payload.error));
    // A stop lasts while this consumer owns the partition; its next owner finds the record again.
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const owned = payload.memberAssignment;
      const dropped = this.stops.keepOnly((topic, partition) => owned[topic]?.includes(partition) === true);
      // kafkajs keeps a pause across assignments: one given back later must be fetched again.
      if (dropped.length > 0) this.consumer.resume(dropped.map((s) => ({ topic: s.topic, partitions: [s.partition] })));
    });
    this.handlers = new Map(options.handlers.map((h) => [h.contract.name, h]));
    this.metrics = busMetrics(options.metrics);
    this.classifiers = [...(options.classifiers ?? []), ...BUS_CLASSIFIERS];
    this.stops = new PartitionStops(options.groupId, this.metrics);
    this.lag = new LagTracker(kafka, options.groupId, [...this.handlers.keys()], this.metrics, (t, p) => this.stops.offsetOf(t, p));
    this.dlqDepth = new DlqDepth(kafka, [...this.handlers.keys()], this.metrics);
  }

  /** The partitions stopped at a record of a newer schema version this consumer cannot read. */
  get groupId(): string {
    return this.options.groupId;
  }

  get stoppedPartitions(): readonly PartitionStop[] {
    return this.stops.all;
  }

  /** True once the group has caught up with the end of every partition at least once. */
  get caughtUp(): boolean {
    return this.lag.caughtUp;
  }

  /**
   * Joins the group and consumes until `stop`. A first attempt that fails (broker down) is
   * logged and tried again every few seconds, as is every crash (kafkajs is not left to restart
   * any, not even those it holds retriable): a service's consumer comes back with the broker
   * instead of staying dead while the process looks healthy, and stays out once stopped.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.scheduleLag(0);
    await this.launch();
  }

  /**
   * One attempt to join and run, after `before` (the disconnect of a crashed run); a failure
   * schedules the next. Tracked so `stop` waits for it, and never joins once `stop` was called.
   */
  private launch(before?: () => Promise<void>): Promise<void> {
    const launching = (async () => {
      await before?.();
      if (this.running) await this.connectAndRun();
    })()
      .catch((error: unknown) => this.relaunchLater(error))
      .finally(() => {
        if (this.launching === launching) this.launching = null;
      });
    this.launching = launching;
    return launching;
  }

  private async connectAndRun(): Promise<void> {
    // kafkajs forgets paused partitions with its run; they are found again at their record.
    this.stops.clear();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private relaunchLater(error: unknown): void {
    if (!this.running || this.relaunchTimer) return;
    this.options.logger?.error({ groupId: this.options.groupId, err: error }, 'consumer stopped; starting it again');
    this.relaunchTimer = setTimeout(() => {
      this.relaunchTimer = null;
      if (this.running) void this.launch(() => this.consumer.disconnect());
    }, this.options.relaunchDelayMs ?? 2000);
  }

  /** Resolves once caught up (see `caughtUp`), or rejects after `timeoutMs`. */
  async waitUntilCaughtUp(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lag.caughtUp) {
      if (Date.now() > deadline) throw new Error(`consumer group ${this.options.groupId} did not catch up within ${timeoutMs} ms`);
      await this.lag.refresh().catch(() => undefined);
      if (!this.lag.caughtUp) await sleep(100);
    }
  }

  /** Finishes the records in hand, commits them and leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.lagTimer) clearTimeout(this.lagTimer);
    if (this.relaunchTimer) clearTimeout(this.relaunchTimer);
    this.relaunchTimer = null;
    await this.launching;
    await this.consumer.disconnect();
    this.stops.clear();
    await this.lag.close();
    await this.dlqDepth.close();
  }

  private scheduleLag(delayMs: number): void {
    this.lagTimer = setTimeout(() => {
      void this.dlqDepth.refresh();
      void this.lag
        .refresh()
        .catch(() => undefined)
        .finally(() => {
          if (this.running) this.scheduleLag(this.lag.caughtUp ? 5000 : 500);
        });
    }, delayMs);
    this.lagTimer.unref();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const handler = this.handlers.get(batch.topic);
    if (!handler || this.stops.has(batch.topic, batch.partition)) return;
    // Decoded up front: a record this consumer cannot read yet stops the partition, so no record
    // after it (of any key) may run, even concurrently with those before it.
    const decoded = new Map(batch.messages.map((m) => [m.offset, decodeRecord(handler.contract, m)]));
    const stopAt = batch.messages.findIndex((m) => decoded.get(m.offset)?.kind === 'newer');
    const messages = stopAt < 0 ? batch.messages : batch.messages.slice(0, stopAt);
    const done = new Set<string>();
    const keepGoing = () => this.running && payload.isRunning() && !payload.isStale();
    await forEachLimited(groupByKey(messages), this.options.concurrency ?? 8, async (group) => {
      for (const message of group) {
        if (!keepGoing()) return;
        const record = decoded.get(message.offset) as Decoded<TopicContract>;
        if ((await this.process(handler, batch.topic, batch.partition, message, record, keepGoing)) === 'aborted') return;
        done.add(message.offset);
        await payload.heartbeat();
      }
    });
    const last = contiguousDone(messages, done);
    if (last !== null) {
      payload.resolveOffset(last);
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    }
    const stop = batch.messages[stopAt];
    const newer = stop ? decoded.get(stop.offset) : undefined;
    // Only once everything before it is committed: a stop never strands a record of its own batch.
    if (stop && newer?.kind === 'newer' && last === (messages.at(-1)?.offset ?? null) && keepGoing()) {
      this.stopPartition({ topic: batch.topic, partition: batch.partition, offset: stop.offset, reason: 'newer_schema', detail: newer.reason });
    }
  }

  /** Holds the partition at a record it cannot read: no commit past it, no dead letter, an alert. */
  private stopPartition(stop: PartitionStop): void {
    this.consumer.pause([{ topic: stop.topic, partitions: [stop.partition] }]);
    this.stops.add(stop);
    this.options.logger?.error(
      { groupId: this.options.groupId, topic: stop.topic, partition: stop.partition, offset: stop.offset, reason: stop.detail },
      'partition stopped at a record of a newer schema version; deploy a consumer that reads it',
    );
  }

  private async process(
    handler: TopicHandler,
    topic: string,
    partition: number,
    message: KafkaMessage,
    decoded: Decoded<TopicContract>,
    keepGoing: () => boolean,
  ): Promise<Outcome> {
    const context: RecordContext = { topic, partition, offset: message.offset, key: message.key?.toString() ?? null };
    if (decoded.kind === 'invalid') return this.deadLetter(topic, partition, message, decoded.code, decoded.reason);
    if (decoded.kind === 'newer') return 'aborted';
    if (decoded.kind === 'event' && this.options.eventId !== undefined && decoded.event.eventId !== this.options.eventId) return 'done';
    const run =
      decoded.kind === 'event' ? () => handler.handle(decoded.event, context) : () => handler.onTombstone?.(decoded.key, context) ?? Promise.resolve();
    const traced = startProcessSpan(topic, partition, message, this.options.groupId);
    if (!traced) return this.attempts(run, topic, partition, message, keepGoing);
    let failure: unknown;
    try {
      return await this.attempts(
        () => runInSpan(traced, run),
        topic,
        partition,
        message,
        keepGoing,
        (error) => (failure = error),
      );
    } finally {
      endSpan(traced.span, failure);
    }
  }

  /** Runs a record's handler under the failure policy (see the class comment) until it is done, dead-lettered or aborted. */
  private async attempts(
    run: () => Promise<void>,
    topic: string,
    partition: number,
    message: KafkaMessage,
    keepGoing: () => boolean,
    gaveUp?: (error: unknown) => void,
  ): Promise<Outcome> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    const delay = this.options.retryDelayMs ?? 100;
    for (let attempt = 1, retries = 0; ;) {
      if (this.options.hold?.()) {
        if (!keepGoing()) return 'aborted';
        await sleep(Math.min(1000, delay * 10));
        continue;
      }
      try {
        await run();
        return 'done';
      } catch (error) {
        const failure = classifyFailure(error, this.classifiers);
        if (failure.retryable) {
          this.metrics.consumerRetries.inc({ group: this.options.groupId, topic, reason: failure.code });
          if (retries === 0)
            this.options.logger?.warn({ topic, partition, offset: message.offset, code: failure.code, err: error }, 'dependency unavailable; retrying record');
          await backoff(Math.min(this.options.maxRetryDelayMs ?? 2000, delay * 2 ** Math.min(retries++, 16)), keepGoing);
          if (!keepGoing()) return 'aborted';
          continue;
        }
        if (attempt >= maxAttempts) {
          gaveUp?.(error);
          const reason = `handler failed after ${attempt} attempts: ${error instanceof Error ? error.message : String(error)}`;
          return this.deadLetter(topic, partition, message, failure.code, reason);
        }
        attempt++;
        await sleep(delay * 2 ** (attempt - 2));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, code: string, reason: string): Promise<Outcome> {
    const record = deadLetterRecord({ topic, partition, message, groupId: this.options.groupId, code, reason });
    await this.options.producer.sendRaw(record.topic, [record.message]);
    this.metrics.dlqRecords.inc({ group: this.options.groupId, topic, reason: code });
    this.options.logger?.error({ topic, partition, offset: message.offset, code, reason }, 'record moved to the dead-letter topic');
    return 'done';
  }
}
