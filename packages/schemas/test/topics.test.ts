import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ScanAccepted } from '../src/events/scans.ts';
import type { EventOf } from '../src/event.ts';
import { eventJsonSchema } from '../src/json-schema.ts';
import { allEventDefinitions, allTopicDefinitions, dlqDefinition, dlqTopicName, TOPICS, type TopicEvent, type TopicEventInput } from '../src/topics.ts';

interface ObjectSchema {
  properties: Record<string, { type?: unknown }>;
  required: string[];
}

describe('the topic table', () => {
  it('lists the topics of docs/topics-and-envelope.md with their keys', () => {
    const doc = readFileSync(new URL('../../../docs/topics-and-envelope.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z.-]+\.v\d+)` \| `([A-Za-z]+)`/gm)].map((m) => [m[1], m[2]]);
    expect(Object.values(TOPICS).map((t) => [t.name, t.key])).toEqual(documented);
  });

  it('gives every event type to exactly one topic', () => {
    const types = allEventDefinitions().map(({ definition }) => definition.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it.each(allEventDefinitions().map(({ topic, definition }) => [definition.type, topic, definition] as const))(
    '%s has its topic key as a required top-level string of data',
    (_type, topic, definition) => {
      const key = Object.values(TOPICS).find((t) => t.name === topic)!.key;
      const data = (eventJsonSchema(definition).properties as Record<string, ObjectSchema>).data!;
      expect(data.properties[key]?.type).toBe('string');
      expect(data.required).toContain(key);
    },
  );

  it('provisions each topic and its dead-letter twin, without the event schemas', () => {
    const defs = allTopicDefinitions();
    const names = Object.values(TOPICS).flatMap((t) => [t.name, dlqTopicName(t.name)]);
    expect(defs.map((d) => d.name).sort()).toEqual(names.sort());
    expect(defs.map((d) => d.name)).toContain('scanning.scans.v1.dlq');
    expect(defs.every((d) => !('events' in d))).toBe(true);
    const dlq = dlqDefinition(TOPICS.attendees);
    expect(dlq).toMatchObject({ name: dlqTopicName('registration.attendees.v1'), key: 'attendeeId', cleanup: 'delete' });
    expect(dlq).not.toHaveProperty('events');
  });

  it('types records and producer inputs per topic', () => {
    expectTypeOf<TopicEvent<typeof TOPICS.scans>['type']>().toEqualTypeOf<'scan.accepted' | 'scan.rejected' | 'scan.annulled'>();
    expectTypeOf<EventOf<typeof ScanAccepted>>().toExtend<TopicEvent<typeof TOPICS.scans>>();
    expectTypeOf<TopicEventInput<typeof TOPICS.leads>['type']>().toEqualTypeOf<'lead.captured'>();
  });
});
