import type { Span } from '@opentelemetry/api';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { TopicContract } from '@expo/schemas';
import { buildEnvelope, HEADER_SCHEMA_VERSION, HEADER_TYPE, keyOf, type TopicEvent, type TopicEventInput } from './envelope.ts';
import { SendFailedError, SendTimeoutError } from './errors.ts';
import { busMetrics, type MetricsRegistry } from './metrics.ts';
import { endSpan, startSendSpan, traceHeaders } from './tracing.ts';

export interface ProducerOptions {
  /** The service writing (envelope `source`). */
  readonly source: string;
  /** A send not acknowledged by then fails with SendTimeoutError (default 1500 ms, so a 503 answers within 2 s). */
  readonly sendTimeoutMs?: number;
  /** Upper bound of records in one produce request. */
  readonly maxBatchRecords?: number;
  /**
   * How long the first record of a produce request may wait for others (Kafka's `linger.ms`;
   * default 0). Each produce request costs the broker and kafkajs a fixed amount of CPU, so on a
   * hot path a few ms of waiting makes them fewer and larger.
   */
  readonly lingerMs?: number;
  readonly metrics?: MetricsRegistry;
}

interface PendingSend {
  readonly topic: string;
  /** When it was handed in (performance.now()), for the linger. */
  readonly at: number;
  readonly messages: Message[];
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The typed producer every service writes with: idempotent, `acks: -1`, validated envelopes.
 * Concurrent `send` calls are gathered into one produce request while the previous one is in
 * flight (group commit), so the hot path shares round trips instead of paying one per event.
 * Every send settles within `sendTimeoutMs`; after a failure the kafkajs producer is replaced, so
 * sends work again once the broker is back, without restarting the process.
 */
export class BusProducer {
  private readonly timeoutMs: number;
  private readonly maxBatch: number;
  private readonly metrics;
  private pending: PendingSend[] = [];
  private inFlight: PendingSend[] | null = null;
  private readonly lingerMs: number;
  private lingerTimer: NodeJS.Timeout | null = null;
  private flushQueued = false;
  private client: Promise<Producer> | null = null;
  private closed = false;
  /** Produce requests and records acknowledged so far (how well concurrent sends were batched). */
  readonly stats = { requests: 0, records: 0 };

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ProducerOptions,
  ) {
    this.timeoutMs = options.sendTimeoutMs ?? 1500;
    this.maxBatch = options.maxBatchRecords ?? 5000;
    this.lingerMs = options.lingerMs ?? 0;
    this.metrics = busMetrics(options.metrics);
  }

  /** Connects eagerly (optional: the first send connects too). */
  async connect(): Promise<void> {
    await this.producer();
  }

  /**
   * Validates, completes and writes events; resolves with the records once Kafka acknowledged all of them.
   * When tracing is on, the send is a PRODUCER span whose trace id is each envelope's `traceId` and
   * whose context each record carries in `traceparent`/`tracestate` (tracing.ts).
   */
  send<C extends TopicContract>(contract: C, inputs: ReadonlyArray<TopicEventInput<C>>): Promise<Array<TopicEvent<C>>> {
    const span = startSendSpan(contract.name, inputs.length);
    return span ? this.sendTraced(contract, inputs, span) : this.sendEvents(contract, inputs);
  }

  private async sendTraced<C extends TopicContract>(contract: C, inputs: ReadonlyArray<TopicEventInput<C>>, span: Span): Promise<Array<TopicEvent<C>>> {
    try {
      const events = await this.sendEvents(contract, inputs, span);
      endSpan(span);
      return events;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  private async sendEvents<C extends TopicContract>(contract: C, inputs: ReadonlyArray<TopicEventInput<C>>, span?: Span): Promise<Array<TopicEvent<C>>> {
    const traceId = span?.spanContext().traceId;
    const events = inputs.map((input) => buildEnvelope(contract, input, this.options.source, traceId));
    const trace = span ? traceHeaders(span) : undefined;
    const messages = events.map((event) => {
      const headers: Record<string, string> = { [HEADER_TYPE]: event.type, [HEADER_SCHEMA_VERSION]: String(event.schemaVersion) };
      if (trace) Object.assign(headers, trace);
      return { key: keyOf(contract, event), value: JSON.stringify(event), headers };
    });
    await this.enqueue(contract.name, messages);
    return events;
  }

  /**
   * Writes records as they are (same bound and batching as `send`): for the dead-letter topics,
   * which keep the original bytes of a record that could not be processed.
   */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.enqueue(topic, messages);
  }

  /** Erasure on a compacted topic: a record with the key and no value. */
  async sendTombstone(contract: TopicContract, key: string): Promise<void> {
    await this.enqueue(contract.name, [{ key, value: null }]);
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.waitForIdle();
    await this.dropClient();
  }

  private enqueue(topic: string, messages: Message[]): Promise<void> {
    if (this.closed) return Promise.reject(new SendFailedError(topic, new Error('producer is closed'), true));
    return new Promise<void>((resolve, reject) => {
      const settle = (fn: () => void) => {
        if (entry.settled) return;
        entry.settled = true;
        clearTimeout(timer);
        fn();
      };
      const entry: PendingSend = {
        topic,
        at: performance.now(),
        messages,
        settled: false,
        resolve: () => settle(resolve),
        reject: (error) => settle(() => reject(error)),
      };
      const timer = setTimeout(() => this.expire(entry), this.timeoutMs);
      this.pending.push(entry);
      this.schedule();
    });
  }

  /** Flushes once nothing is in flight and the oldest pending record has lingered (or a request is full). */
  private schedule(): void {
    if (this.inFlight !== null || this.pending.length === 0 || this.flushQueued) return;
    const full = this.pending.reduce((n, e) => n + e.messages.length, 0) >= this.maxBatch;
    const delay = full ? 0 : this.lingerMs - (performance.now() - this.pending[0]!.at);
    if (delay > 0) {
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = null;
        this.schedule();
      }, delay);
      return;
    }
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      void this.flush();
    });
  }

  private takeBatch(): PendingSend[] {
    let records = 0;
    let count = 0;
    for (const entry of this.pending) {
      if (count > 0 && records + entry.messages.length > this.maxBatch) break;
      records += entry.messages.length;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async flush(): Promise<void> {
    if (this.inFlight !== null || this.pending.length === 0) return;
    const batch = this.takeBatch().filter((e) => !e.settled);
    if (batch.length === 0) return this.schedule();
    this.inFlight = batch;
    try {
      const producer = await this.producer();
      const started = performance.now();
      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(batch) });
      if (this.inFlight === batch) {
        const acked = performance.now();
        this.stats.requests++;
        this.metrics.produceRequest.observe((acked - started) / 1000);
        for (const e of batch) {
          this.stats.records += e.messages.length;
          this.metrics.sendWait.observe({ topic: e.topic }, (acked - e.at) / 1000);
          e.resolve();
        }
      }
    } catch (error) {
      if (this.inFlight === batch) this.fail(batch, error);
    } finally {
      if (this.inFlight === batch) this.inFlight = null;
      this.schedule();
    }
  }

  /** A send's bound passed: fail it, and if its batch is in flight, give up on that producer. */
  private expire(entry: PendingSend): void {
    const inFlight = this.inFlight;
    if (inFlight?.includes(entry)) {
      this.inFlight = null;
      for (const e of inFlight) this.rejectWith(e, new SendTimeoutError(e.topic, this.timeoutMs));
      void this.dropClient();
      this.schedule();
      return;
    }
    this.pending = this.pending.filter((e) => e !== entry);
    this.rejectWith(entry, new SendTimeoutError(entry.topic, this.timeoutMs));
  }

  private fail(batch: PendingSend[], cause: unknown): void {
    for (const e of batch) this.rejectWith(e, new SendFailedError(e.topic, cause));
    void this.dropClient();
  }

  private rejectWith(entry: PendingSend, error: Error): void {
    if (!entry.settled) this.metrics.produceErrors.inc({ topic: entry.topic });
    entry.reject(error);
  }

  private producer(): Promise<Producer> {
    if (!this.client) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // Bounded retries: a send must fail in bounded time; a failed producer is replaced (new
        // producer id), which keeps idempotence sound after the failure.
        retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      const connecting = producer.connect().then(() => producer);
      connecting.catch(() => {
        if (this.client === connecting) this.client = null;
      });
      this.client = connecting;
    }
    return this.client;
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.then((p) => p.disconnect()).catch(() => undefined);
  }

  private async waitForIdle(): Promise<void> {
    while (this.inFlight !== null || this.pending.some((e) => !e.settled)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function groupByTopic(batch: readonly PendingSend[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const entry of batch) {
    const list = byTopic.get(entry.topic) ?? [];
    list.push(...entry.messages);
    byTopic.set(entry.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
