import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EventDefinition, TopicContract } from '@expo/schemas';
import { EventValidationError } from './errors.ts';

export type EventsOf<C extends TopicContract> = C['events'][number];
/** A whole record of one of the contract's event types. */
export type TopicEvent<C extends TopicContract> = z.infer<EventsOf<C>['envelope']>;

/** What a producer supplies for one event of a topic; the bus fills the rest of the envelope. */
export type TopicEventInput<C extends TopicContract> =
  EventsOf<C> extends infer D
    ? D extends EventDefinition<infer T, infer Data>
      ? { type: T; eventId: string; data: z.input<Data>; occurredAt?: string; traceId?: string; id?: string }
      : never
    : never;

interface AnyEventInput {
  type: string;
  eventId: string;
  data: unknown;
  occurredAt?: string;
  traceId?: string;
  id?: string;
}

export const HEADER_TYPE = 'type';
export const HEADER_SCHEMA_VERSION = 'schemaVersion';

export function definitionFor(contract: TopicContract, type: string): EventDefinition | undefined {
  return contract.events.find((d) => d.type === type);
}

function problemsOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * Completes and validates one event: id (kept if the caller chose one, e.g. to make a retry the
 * same record), recordedAt, source, schemaVersion, and `traceId` (the caller's, else the trace the
 * producer sends it in). Throws EventValidationError, sending nothing.
 */
export function buildEnvelope<C extends TopicContract>(contract: C, typedInput: TopicEventInput<C>, source: string, traceId?: string): TopicEvent<C> {
  const input = typedInput as unknown as AnyEventInput;
  const definition = definitionFor(contract, input.type);
  if (!definition) {
    throw new EventValidationError(contract.name, [{ path: 'type', message: `${input.type} is not an event type of ${contract.name}` }]);
  }
  const now = new Date().toISOString();
  const trace = input.traceId ?? traceId;
  const candidate = {
    id: input.id ?? randomUUID(),
    type: input.type,
    schemaVersion: definition.schemaVersion,
    eventId: input.eventId,
    source,
    occurredAt: input.occurredAt ?? now,
    recordedAt: now,
    ...(trace === undefined ? {} : { traceId: trace }),
    data: input.data,
  };
  const parsed = definition.envelope.safeParse(candidate);
  if (!parsed.success) throw new EventValidationError(contract.name, problemsOf(parsed.error));
  return parsed.data as TopicEvent<C>;
}

/** The record key: the contract's key field of the event's data (the topic table, docs/topics-and-envelope.md). */
export function keyOf(contract: TopicContract, event: { data: unknown }): string {
  const value = (event.data as Record<string, unknown> | null)?.[contract.key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new EventValidationError(contract.name, [{ path: `data.${contract.key}`, message: 'the key field is missing' }]);
  }
  return value;
}
