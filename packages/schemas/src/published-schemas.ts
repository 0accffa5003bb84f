import type { EventDefinition } from './event.ts';
import { eventJsonSchema, eventSchemaFileName, eventSchemaId, type JsonSchema } from './json-schema.ts';
import { allEventDefinitions, TOPICS } from './topics.ts';

export interface PublishedSchema {
  /** File name under `dist/json-schema/` (and `compat/` for the baselines). */
  readonly file: string;
  readonly topic: string;
  readonly definition: EventDefinition;
  readonly schema: JsonSchema;
}

/** One JSON Schema per event type and version: what the package publishes and snapshots. */
export function publishedSchemas(): PublishedSchema[] {
  return allEventDefinitions().map(({ topic, definition }) => ({
    file: eventSchemaFileName(definition),
    topic,
    definition,
    schema: eventJsonSchema(definition),
  }));
}

/**
 * `index.json` of the published schemas: per topic its key and cleanup policy and the files of its
 * event types, so a consumer in another language can pick the schema from a record's `type` and
 * `schemaVersion` headers.
 */
export function publishedSchemaIndex(): JsonSchema {
  const topics = Object.fromEntries(
    Object.values(TOPICS).map((topic) => [
      topic.name,
      {
        key: topic.key,
        cleanup: topic.cleanup,
        events: topic.events.map((d: EventDefinition) => ({
          type: d.type,
          schemaVersion: d.schemaVersion,
          file: eventSchemaFileName(d),
          $id: eventSchemaId(d),
        })),
      },
    ]),
  );
  return { topics };
}
