import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { context, propagation, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { kafkaBrokers, testNames } from '@expo/testkit';
import { BusConsumer, on } from '../src/consumer.ts';
import { headerString } from '../src/decode.ts';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { thingsTopic } from './fixtures/contract.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const kafka = () => createKafka({ brokers: kafkaBrokers(), clientId: 'tracing-test' });

function producer() {
  const p = new BusProducer(kafka(), { source: 'bus-test', sendTimeoutMs: 30_000 });
  cleanups.push(() => p.disconnect());
  return p;
}

/** Each record's headers as strings, read with a plain kafkajs consumer. */
async function recordHeaders(topic: string, count: number): Promise<Array<Record<string, string>>> {
  const consumer = kafka().consumer({ groupId: `headers-${topic}` });
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const all: Array<Record<string, string>> = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: ({ message }) => {
        const names = Object.keys(message.headers ?? {});
        all.push(Object.fromEntries(names.map((n) => [n, headerString(message.headers, n) ?? ''])));
        if (all.length === count) resolve();
        return Promise.resolve();
      },
    });
  });
  return all;
}

interface Handled {
  readonly thingId: string;
  readonly active: SpanContext | undefined;
}

/** A consumer whose handler notes the span it runs in; a thing whose note is `fail` fails. */
async function consume(groupId: string, topic: Awaited<ReturnType<typeof thingsTopic>>) {
  const handled: Handled[] = [];
  const handler = on(topic, async (event) => {
    if (event.type === 'thing.counted' && event.data.note === 'fail') throw new Error('cannot count this thing');
    handled.push({ thingId: event.data.thingId, active: trace.getActiveSpan()?.spanContext() });
  });
  const consumer = new BusConsumer(kafka(), { groupId, handlers: [handler], producer: producer(), maxAttempts: 1, retryDelayMs: 10 });
  cleanups.push(() => consumer.stop());
  await consumer.start();
  return handled;
}

async function until(what: string, check: () => boolean): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error(`${what} did not happen within 30 s`);
    },
    { timeout: 30_000, interval: 25 },
  );
}

describe('tracing across Kafka', () => {
  it('adds no header, no traceId and no span when no OpenTelemetry SDK is registered', async () => {
    const names = testNames('tracing-off');
    const topic = await thingsTopic(names, { partitions: 1 });
    const handled = await consume(names.groupId, topic);

    const [sent] = await producer().send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 'a-1', n: 1 } }]);

    expect(sent!.traceId).toBeUndefined();
    const [headers] = await recordHeaders(topic.name, 1);
    expect(Object.keys(headers!).sort()).toEqual(['schemaVersion', 'type']);
    await until('the record handled', () => handled.length === 1);
    expect(handled).toEqual([{ thingId: 'a-1', active: undefined }]);
  });

  describe('with an SDK registered', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('carries the send span in traceparent, and each record is processed in a CONSUMER span of the same trace', async () => {
      const names = testNames('tracing-on');
      const topic = await thingsTopic(names, { partitions: 1 });
      const handled = await consume(names.groupId, topic);

      // As an HTTP request's handler would: the send happens inside an active span.
      const request = trace.getTracer('test').startSpan('POST /v1/things', { kind: SpanKind.SERVER });
      const sent = await context.with(trace.setSpan(context.active(), request), () =>
        producer().send(topic, [
          { type: 'thing.counted', eventId: names.expoId, data: { thingId: 'b-1', n: 1 } },
          { type: 'thing.counted', eventId: names.expoId, data: { thingId: 'b-2', n: 2, note: 'fail' } },
        ]),
      );
      request.end();
      const traceId = request.spanContext().traceId;

      const send = exporter.getFinishedSpans().find((s) => s.name === `send ${topic.name}`);
      expect(send?.kind).toBe(SpanKind.PRODUCER);
      expect(send?.spanContext().traceId).toBe(traceId);
      expect(send?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(send?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': topic.name, 'messaging.batch.message_count': 2 });
      expect(sent.map((e) => e.traceId)).toEqual([traceId, traceId]);
      const headers = await recordHeaders(topic.name, 2);
      for (const h of headers) expect(h.traceparent).toBe(`00-${traceId}-${send!.spanContext().spanId}-01`);

      await until('both records processed', () => exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER).length === 2);
      const processed = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
      for (const span of processed) {
        expect(span.name).toBe(`process ${topic.name}`);
        expect(span.spanContext().traceId).toBe(traceId);
        expect(span.parentSpanContext?.spanId).toBe(send!.spanContext().spanId);
        expect(span.attributes).toMatchObject({
          'messaging.operation.type': 'process',
          'messaging.consumer.group.name': names.groupId,
          'messaging.destination.partition.id': '0',
        });
      }
      // The handler ran inside its record's span; the failing record's span says it failed.
      const ok = processed.find((s) => s.attributes['messaging.kafka.offset'] === 0)!;
      expect(handled).toEqual([{ thingId: 'b-1', active: expect.objectContaining({ traceId, spanId: ok.spanContext().spanId }) }]);
      const failed = processed.find((s) => s.attributes['messaging.kafka.offset'] === 1)!;
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cannot count this thing' });
    });
  });
});
