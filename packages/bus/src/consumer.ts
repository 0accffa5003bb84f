import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { TopicContract } from '@expo/schemas';
import { decodeRecord } from './decode.ts';
import { deadLetterRecord } from './dlq.ts';
import type { TopicEvent } from './envelope.ts';
import { contiguousDone, forEachLimited, groupByKey } from './key-groups.ts';
import { LagTracker } from './lag.ts';
import { busMetrics, type MetricsRegistry } from './metrics.ts';
import type { BusProducer } from './producer.ts';

export interface RecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
}

export interface TopicHandler<C extends TopicContract = TopicContract> {
  readonly contract: C;
  handle(event: TopicEvent<C>, context: RecordContext): Promise<void>;
  /** A record with no value (erasure on a compacted topic); ignored when absent. */
  onTombstone?(key: string, context: RecordContext): Promise<void>;
}

/** Binds a handler to its topic so the event parameter is typed by the contract. */
export function on<C extends TopicContract>(
  contract: C,
  handle: TopicHandler<C>['handle'],
  onTombstone?: TopicHandler<C>['onTombstone'],
): TopicHandler<C> {
  return { contract, handle, ...(onTombstone ? { onTombstone } : {}) };
}

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
  /** Handler attempts before a record goes to the dead-letter topic (default 3). */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** Keys processed at once within one partition (default 8); one key's records stay in order. */
  readonly concurrency?: number;
  /** Partitions processed at once (default 1): overlaps one partition's waits with another's work. */
  readonly partitionsConcurrently?: number;
  /**
   * Failures of a dependency (Redis down): the record is retried until it succeeds or the
   * consumer stops, never dead-lettered, and nothing after it is committed.
   */
  readonly isTransient?: (error: unknown) => boolean;
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

/**
 * The typed consumer: records are parsed against their topic's contract and handed to its
 * handler; offsets are committed only after the handlers succeeded; a record that cannot be
 * parsed, or whose handler keeps failing, goes to `<topic>.dlq` with its metadata and the reason,
 * and consumption goes on.
 */
export class BusConsumer {
  private readonly consumer: Consumer;
  private readonly handlers: Map<string, TopicHandler>;
  private readonly lag: LagTracker;
  private readonly metrics;
  private lagTimer: NodeJS.Timeout | null = null;
  private relaunchTimer: NodeJS.Timeout | null = null;
  private launching: Promise<void> | null = null;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({ groupId: options.groupId, retry: { retries: 8 } });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.relaunchLater(payload.error);
    });
    this.handlers = new Map(options.handlers.map((h) => [h.contract.name, h]));
    this.metrics = busMetrics(options.metrics);
    this.lag = new LagTracker(kafka, options.groupId, [...this.handlers.keys()], this.metrics);
  }

  /** True once the group has caught up with the end of every partition at least once. */
  get caughtUp(): boolean {
    return this.lag.caughtUp;
  }

  /**
   * Joins the group and consumes until `stop`. A first attempt that fails (broker down) is
   * logged and tried again every few seconds, as is a crash kafkajs does not restart by itself
   * (it gives up on errors it holds non-retriable, such as a group coordinator not found while
   * the broker restarts): a service's consumer comes back with the broker instead of staying
   * dead while the process looks healthy.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.scheduleLag(0);
    await this.launch();
  }

  /** One attempt to join and run; a failure schedules the next. Tracked so `stop` can wait for it. */
  private launch(): Promise<void> {
    this.launching = this.connectAndRun()
      .catch((error: unknown) => this.relaunchLater(error))
      .finally(() => {
        this.launching = null;
      });
    return this.launching;
  }

  private async connectAndRun(): Promise<void> {
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
      if (!this.running) return;
      void this.consumer
        .disconnect()
        .then(() => this.launch(), (e: unknown) => this.relaunchLater(e));
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
    await this.lag.close();
  }

  private scheduleLag(delayMs: number): void {
    this.lagTimer = setTimeout(() => {
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
    if (!handler) return;
    const done = new Set<string>();
    const keepGoing = () => this.running && payload.isRunning() && !payload.isStale();
    await forEachLimited(groupByKey(batch.messages), this.options.concurrency ?? 8, async (messages) => {
      for (const message of messages) {
        if (!keepGoing()) return;
        if ((await this.process(handler, batch.topic, batch.partition, message, keepGoing)) === 'aborted') return;
        done.add(message.offset);
        await payload.heartbeat();
      }
    });
    const last = contiguousDone(batch.messages, done);
    if (last === null) return;
    payload.resolveOffset(last);
    await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
  }

  private async process(
    handler: TopicHandler,
    topic: string,
    partition: number,
    message: KafkaMessage,
    keepGoing: () => boolean,
  ): Promise<Outcome> {
    const context: RecordContext = { topic, partition, offset: message.offset, key: message.key?.toString() ?? null };
    const decoded = decodeRecord(handler.contract, message);
    if (decoded.kind === 'invalid') return this.deadLetter(topic, partition, message, decoded.reason);
    const run =
      decoded.kind === 'event'
        ? () => handler.handle(decoded.event, context)
        : () => handler.onTombstone?.(decoded.key, context) ?? Promise.resolve();
    const maxAttempts = this.options.maxAttempts ?? 3;
    const delay = this.options.retryDelayMs ?? 100;
    for (let attempt = 1; ; ) {
      if (this.options.hold?.()) {
        if (!keepGoing()) return 'aborted';
        await sleep(Math.min(1000, delay * 10));
        continue;
      }
      try {
        await run();
        return 'done';
      } catch (error) {
        if (this.options.isTransient?.(error)) {
          this.options.logger?.warn({ topic, partition, offset: message.offset, err: error }, 'dependency unavailable; retrying record');
          if (!keepGoing()) return 'aborted';
          await sleep(Math.min(5000, delay * 10));
          continue;
        }
        if (attempt >= maxAttempts) {
          const reason = `handler failed after ${attempt} attempts: ${error instanceof Error ? error.message : String(error)}`;
          return this.deadLetter(topic, partition, message, reason);
        }
        attempt++;
        await sleep(delay * 2 ** (attempt - 2));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<Outcome> {
    const record = deadLetterRecord({ topic, partition, message, groupId: this.options.groupId, reason });
    await this.options.producer.sendRaw(record.topic, [record.message]);
    this.metrics.dlqRecords.inc({ group: this.options.groupId, topic });
    this.options.logger?.error({ topic, partition, offset: message.offset, reason }, 'record moved to the dead-letter topic');
    return 'done';
  }
}
