import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ScanAccepted } from '../src/events/scans.ts';
import { eventJsonSchema, eventSchemaFileName, eventSchemaId, type JsonSchema } from '../src/json-schema.ts';
import { allEventDefinitions, TOPICS } from '../src/topics.ts';
import { acceptedScan, exampleRecord } from './examples.ts';

// ajv and ajv-formats are CommonJS; under NodeNext their default import is the module object.
const addFormats = ajvFormats.default;

// How a consumer in another language checks records: a stock draft 2020-12 validator and the
// published file, nothing from zod.
function validatorFor(schema: JsonSchema) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

function propertyNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(propertyNames);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.properties === 'object' && record.properties !== null ? Object.keys(record.properties) : [];
  return [...own, ...Object.values(record).flatMap(propertyNames)];
}

describe('published JSON Schemas', () => {
  it('name themselves after the event type and version, in draft 2020-12', () => {
    const schema = eventJsonSchema(ScanAccepted);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://expo-platform.dev/schemas/scan.accepted.v1.json');
    expect(schema.$id).toBe(eventSchemaId(ScanAccepted));
    expect(eventSchemaFileName(ScanAccepted)).toBe('scan.accepted.v1.json');
    expect(schema.title).toBe('scan.accepted v1');
  });

  it.each(allEventDefinitions().map(({ definition }) => [definition.type, definition] as const))('validate a valid %s record with ajv', (_type, definition) => {
    const validate = validatorFor(eventJsonSchema(definition));
    const record = JSON.parse(JSON.stringify(exampleRecord(definition))) as unknown;
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
  });

  it('reject what zod rejects: a bad country, a missing key, the wrong type', () => {
    const validate = validatorFor(eventJsonSchema(ScanAccepted));
    expect(validate(exampleRecord(ScanAccepted, acceptedScan({ country: 'XX' } as never)))).toBe(false);
    const { badgeId: _b, ...noKey } = acceptedScan();
    expect(validate(exampleRecord(ScanAccepted, noKey))).toBe(false);
    expect(validate({ ...exampleRecord(ScanAccepted), type: 'scan.rejected' })).toBe(false);
    expect(validate({ ...exampleRecord(ScanAccepted), occurredAt: '2024-11-05 09:30' })).toBe(false);
  });

  it('accept an added field, as a reader with an older copy of the schema must', () => {
    const validate = validatorFor(eventJsonSchema(ScanAccepted));
    const record = exampleRecord(ScanAccepted, { ...acceptedScan(), laneId: 'lane-3' });
    expect(validate({ ...record, partitionHint: 1 })).toBe(true);
  });

  it.each([TOPICS.scans, TOPICS.leads, TOPICS.footfall])('keep personal data out of $name', (topic) => {
    for (const definition of topic.events) {
      const names = propertyNames(eventJsonSchema(definition));
      expect(names).toContain('data');
      for (const personal of ['name', 'nameLocal', 'email', 'phone', 'note']) expect(names).not.toContain(personal);
    }
  });
});
