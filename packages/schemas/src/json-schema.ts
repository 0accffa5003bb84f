import { z } from 'zod';
import type { EventDefinition } from './event.ts';

export const JSON_SCHEMA_BASE_URL = 'https://expo-platform.dev/schemas/';

export type JsonSchema = Record<string, unknown>;

/** `<type>.v<version>.json`: the published file name of one event type at one version. */
export function eventSchemaFileName(definition: Pick<EventDefinition, 'type' | 'schemaVersion'>): string {
  return `${definition.type}.v${definition.schemaVersion}.json`;
}

export function eventSchemaId(definition: Pick<EventDefinition, 'type' | 'schemaVersion'>): string {
  return `${JSON_SCHEMA_BASE_URL}${eventSchemaFileName(definition)}`;
}

/**
 * The JSON Schema (draft 2020-12) of a whole record of one event type, for consumers in any
 * language. It describes the producer's output, i.e. the record as written to Kafka, with one
 * deliberate difference from zod's output mode: objects stay open (no `additionalProperties:
 * false`). Within a major version producers may add optional fields, and a reader validating with
 * an older copy of this file must still accept those records.
 */
export function eventJsonSchema(definition: EventDefinition): JsonSchema {
  const generated = z.toJSONSchema(definition.envelope, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'throw',
    override: ({ jsonSchema }) => {
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  }) as JsonSchema;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: eventSchemaId(definition),
    title: `${definition.type} v${definition.schemaVersion}`,
    description: `One Kafka record (envelope and data) of event type ${definition.type}, schema version ${definition.schemaVersion}.`,
    ...rest,
  };
}
