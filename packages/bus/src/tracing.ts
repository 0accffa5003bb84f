import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { headerString } from './decode.ts';

// Spans of the OpenTelemetry messaging conventions: `send <topic>` (PRODUCER) around one send,
// whose context travels in the records' `traceparent`/`tracestate` headers, and `process <topic>`
// (CONSUMER) around one record's handler, a child of that context. Only the API is used here: with
// no SDK registered every call below is a no-op and nothing is added to a record (docs/operations.md).
// The tracer is the API's proxy, so an SDK registered after this module loaded is still used.
const tracer = trace.getTracer('@expo/bus');

const kafkaHeaders: TextMapGetter<IHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headerString(headers, key),
};

const SEND = { kind: SpanKind.PRODUCER };
const PROCESS = { kind: SpanKind.CONSUMER };
const sendNames = new Map<string, string>();
const processNames = new Map<string, string>();

/** `<operation> <topic>`, built once per topic: the hot path allocates nothing while tracing is off. */
function spanName(names: Map<string, string>, operation: string, topic: string): string {
  let name = names.get(topic);
  if (name === undefined) names.set(topic, (name = `${operation} ${topic}`));
  return name;
}

/**
 * A span worth carrying on: recorded, or a sampled-out one whose decision downstream must follow.
 * Without an SDK the API hands out spans with INVALID_SPAN_CONTEXT itself: compared first, as
 * isSpanContextValid's pattern matching of the ids costs more than the rest of the no-op path.
 */
function live(span: Span): Span | undefined {
  if (span.isRecording()) return span;
  const spanContext = span.spanContext();
  return spanContext !== INVALID_SPAN_CONTEXT && isSpanContextValid(spanContext) ? span : undefined;
}

/** The span of one `send` of `count` records to `topic`, a child of the active span; undefined when tracing is off. */
export function startSendSpan(topic: string, count: number): Span | undefined {
  const span = live(tracer.startSpan(spanName(sendNames, 'send', topic), SEND));
  if (span?.isRecording()) {
    span.setAttributes({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': topic,
      ...(count > 1 ? { 'messaging.batch.message_count': count } : {}),
    });
  }
  return span;
}

/** The W3C trace context headers (`traceparent`, `tracestate`) that make a record's consumers part of the span's trace. */
export function traceHeaders(span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return carrier;
}

/** The context a record was produced in, from its headers; the empty context when it carries none. */
function producedIn(message: KafkaMessage): Context {
  const headers = message.headers;
  return headers?.traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, headers, kafkaHeaders);
}

export interface ProcessSpan {
  readonly span: Span;
  /** The context a handler runs in, so what it produces continues the trace. */
  readonly context: Context;
}

/** The span of one record's handling, a child of its producer's span; undefined when tracing is off. */
export function startProcessSpan(topic: string, partition: number, message: KafkaMessage, groupId: string): ProcessSpan | undefined {
  const parent = producedIn(message);
  const span = live(tracer.startSpan(spanName(processNames, 'process', topic), PROCESS, parent));
  if (!span) return undefined;
  if (span.isRecording()) {
    span.setAttributes({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(message.offset),
      'messaging.consumer.group.name': groupId,
    });
  }
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs a record's handler in its span's context. */
export function runInSpan<T>(process: ProcessSpan, fn: () => Promise<T>): Promise<T> {
  return context.with(process.context, fn);
}

/** Ends a span with the failure that ended its work, if any. */
export function endSpan(span: Span, failure?: unknown): void {
  if (failure instanceof Error) {
    span.recordException(failure);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  } else if (failure !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
