import type { IHeaders, KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import type { EventDefinition, TopicContract } from '@expo/schemas';
import { definitionFor, HEADER_TYPE, type TopicEvent } from './envelope.ts';

/** Why a record cannot be read at all: a bounded label for the DLQ header and metrics. */
export type InvalidCode = 'not_json' | 'unknown_type' | 'schema_violation' | 'tombstone_without_key';

export type Decoded<C extends TopicContract> =
  | { readonly kind: 'event'; readonly event: TopicEvent<C> }
  | { readonly kind: 'tombstone'; readonly key: string }
  /** Malformed for the version it claims (or not a record at all): the dead-letter topic. */
  | { readonly kind: 'invalid'; readonly code: InvalidCode; readonly reason: string }
  /**
   * Written by a newer producer (a higher `schemaVersion`) and not readable as the version this
   * consumer knows: not bad data, a consumer that is behind. Never skipped nor dead-lettered.
   */
  | { readonly kind: 'newer'; readonly schemaVersion: number; readonly reason: string };

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

const SchemaVersion = z.number().int().positive();
const tolerantEnvelopes = new WeakMap<EventDefinition, z.ZodType>();

/**
 * The tolerant reader of an event type: its envelope at any schema version. Within a major version
 * a newer schema only adds optional fields (the compatibility check in packages/schemas), so a
 * record of another version whose data satisfies the known schema means what the known schema
 * says; fields this consumer does not know are dropped.
 */
function tolerantEnvelope(definition: EventDefinition): z.ZodType {
  let schema = tolerantEnvelopes.get(definition);
  if (!schema) {
    schema = definition.envelope.extend({ schemaVersion: SchemaVersion });
    tolerantEnvelopes.set(definition, schema);
  }
  return schema;
}

function problemsOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Parses one record against its topic's contract; never throws. */
export function decodeRecord<C extends TopicContract>(contract: C, message: KafkaMessage): Decoded<C> {
  if (message.value === null) {
    const key = message.key?.toString();
    return key ? { kind: 'tombstone', key } : { kind: 'invalid', code: 'tombstone_without_key', reason: 'tombstone without a key' };
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch {
    return { kind: 'invalid', code: 'not_json', reason: 'value is not JSON' };
  }
  const type = headerString(message.headers, HEADER_TYPE) ?? (json as { type?: unknown } | null)?.type;
  const definition = typeof type === 'string' ? definitionFor(contract, type) : undefined;
  if (!definition) return { kind: 'invalid', code: 'unknown_type', reason: `unknown event type ${String(type)} for ${contract.name}` };
  const exact = definition.envelope.safeParse(json);
  if (exact.success) return { kind: 'event', event: exact.data as TopicEvent<C> };
  const version = SchemaVersion.safeParse((json as { schemaVersion?: unknown }).schemaVersion);
  if (!version.success || version.data === definition.schemaVersion) {
    return { kind: 'invalid', code: 'schema_violation', reason: `schema ${definition.type} v${definition.schemaVersion}: ${problemsOf(exact.error)}` };
  }
  const tolerant = tolerantEnvelope(definition).safeParse(json);
  if (tolerant.success) return { kind: 'event', event: tolerant.data as TopicEvent<C> };
  const reason = `schema ${definition.type} v${version.data} read as v${definition.schemaVersion}: ${problemsOf(tolerant.error)}`;
  if (version.data > definition.schemaVersion) return { kind: 'newer', schemaVersion: version.data, reason };
  return { kind: 'invalid', code: 'schema_violation', reason };
}
