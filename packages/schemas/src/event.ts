import { z } from 'zod';

/** ISO 8601 with an offset, as docs/http.md and docs/topics-and-envelope.md require for every time. */
export const IsoDateTime = z.iso.datetime({ offset: true });

/**
 * The envelope (docs/topics-and-envelope.md), without `data`: every record on every topic has these fields.
 * `id` is what consumers dedupe on; `eventId` is the expo edition (e.g. `ciie-2024`).
 */
export const EnvelopeFields = {
  id: z.uuid(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  eventId: z.string().min(1).max(64),
  source: z.string().min(1),
  occurredAt: IsoDateTime,
  recordedAt: IsoDateTime,
  traceId: z.string().min(1).max(128).optional(),
};

export const AnyEnvelope = z.object({ ...EnvelopeFields, data: z.unknown() });
export type AnyEnvelope = z.infer<typeof AnyEnvelope>;

/** One event type at one version: its name, its payload schema and the full-envelope schema. */
export interface EventDefinition<Type extends string = string, Data extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly envelope: z.ZodObject<
    Omit<typeof EnvelopeFields, 'type' | 'schemaVersion'> & {
      type: z.ZodLiteral<Type>;
      schemaVersion: z.ZodLiteral<number>;
      data: Data;
    }
  >;
}

export function defineEvent<const Type extends string, Data extends z.ZodType>(type: Type, schemaVersion: number, data: Data): EventDefinition<Type, Data> {
  return {
    type,
    schemaVersion,
    data,
    envelope: z.object({
      ...EnvelopeFields,
      type: z.literal(type),
      schemaVersion: z.literal(schemaVersion),
      data,
    }),
  };
}

/** A whole record of this event type, as consumers receive it. */
export type EventOf<D extends EventDefinition> = z.infer<D['envelope']>;

/**
 * What a producer supplies for one event; the bus fills `id`, `recordedAt`, `source` and
 * `schemaVersion`. `occurredAt` defaults to now. A producer may choose `id` itself so that a
 * retry of the same fact is the same record (consumers dedupe on it).
 */
export type EventInputOf<D extends EventDefinition> =
  D extends EventDefinition<infer T, infer Data>
    ? { type: T; eventId: string; data: z.input<Data>; occurredAt?: string; traceId?: string; id?: string }
    : never;
