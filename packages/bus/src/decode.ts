import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { TopicContract } from '@expo/schemas';
import { definitionFor, HEADER_TYPE, type TopicEvent } from './envelope.ts';

export type Decoded<C extends TopicContract> =
  | { readonly kind: 'event'; readonly event: TopicEvent<C> }
  | { readonly kind: 'tombstone'; readonly key: string }
  | { readonly kind: 'invalid'; readonly reason: string };

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Parses one record against its topic's contract; never throws. */
export function decodeRecord<C extends TopicContract>(contract: C, message: KafkaMessage): Decoded<C> {
  if (message.value === null) {
    const key = message.key?.toString();
    return key ? { kind: 'tombstone', key } : { kind: 'invalid', reason: 'tombstone without a key' };
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch {
    return { kind: 'invalid', reason: 'value is not JSON' };
  }
  const type = headerString(message.headers, HEADER_TYPE) ?? (json as { type?: unknown } | null)?.type;
  const definition = typeof type === 'string' ? definitionFor(contract, type) : undefined;
  if (!definition) return { kind: 'invalid', reason: `unknown event type ${String(type)} for ${contract.name}` };
  const parsed = definition.envelope.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { kind: 'invalid', reason: `schema ${definition.type} v${definition.schemaVersion}: ${problems}` };
  }
  return { kind: 'event', event: parsed.data as TopicEvent<C> };
}
