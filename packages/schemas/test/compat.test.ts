import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compatibilityProblems } from '../src/compat.ts';
import type { JsonSchema } from '../src/json-schema.ts';
import { publishedSchemas } from '../src/published-schemas.ts';

const compatDir = fileURLToPath(new URL('../compat/', import.meta.url));
const UPDATE_HINT = 'if the change is intended, run `pnpm --filter @expo/schemas compat:update` and commit compat/';

function baseline(file: string): JsonSchema {
  return JSON.parse(readFileSync(`${compatDir}${file}`, 'utf8')) as JsonSchema;
}

describe('schemas against the committed baselines', () => {
  const current = publishedSchemas();
  const baselines = readdirSync(compatDir).filter((f) => f.endsWith('.json'));

  it.each(current.map((s) => [s.file, s] as const))('%s has no breaking change', (file, { schema }) => {
    expect(baselines, `no baseline for ${file}: ${UPDATE_HINT}`).toContain(file);
    expect(compatibilityProblems(baseline(file), schema), UPDATE_HINT).toEqual([]);
  });

  it('has a current event type for every baseline (a version is never dropped silently)', () => {
    const files = new Set(current.map((s) => s.file));
    expect(
      baselines.filter((f) => !files.has(f)),
      UPDATE_HINT,
    ).toEqual([]);
  });
});

const id = { type: 'string', minLength: 1 };
const base: JsonSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        badgeId: id,
        count: { type: 'integer', minimum: 0 },
        direction: { type: 'string', enum: ['in', 'out'] },
        zoneId: { anyOf: [id, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string', maxLength: 10 } },
      },
      required: ['badgeId', 'count', 'direction'],
    },
  },
  required: ['data'],
};

/** The baseline with `data` changed by `change`. */
function withData(change: (data: { properties: Record<string, unknown>; required: string[] }) => void): JsonSchema {
  const copy = structuredClone(base) as { properties: { data: { properties: Record<string, unknown>; required: string[] } } };
  change(copy.properties.data);
  return copy;
}

describe('compatibilityProblems', () => {
  it('finds nothing between a schema and itself', () => {
    expect(compatibilityProblems(base, structuredClone(base))).toEqual([]);
  });

  it('accepts an added optional property and an added enum value', () => {
    const next = withData((d) => {
      d.properties.laneId = id;
      d.properties.direction = { type: 'string', enum: ['in', 'out', 'through'] };
    });
    expect(compatibilityProblems(base, next)).toEqual([]);
  });

  it('reports a removed property', () => {
    const next = withData((d) => delete d.properties.count);
    expect(compatibilityProblems(base, next)).toEqual(['data.count: property removed']);
  });

  it('reports a retyped property', () => {
    const next = withData((d) => (d.properties.count = { type: 'string' }));
    expect(compatibilityProblems(base, next)).toEqual(['data.count: type changed from integer to string']);
  });

  it('reports a new required property and an optional one that became required', () => {
    const next = withData((d) => {
      d.properties.laneId = id;
      d.required.push('laneId', 'zoneId');
    });
    expect(compatibilityProblems(base, next)).toEqual(['data.laneId: new required property', 'data.zoneId: property became required']);
  });

  it('reports a removed enum value and a changed literal', () => {
    const next = withData((d) => (d.properties.direction = { type: 'string', enum: ['in'] }));
    expect(compatibilityProblems(base, next)).toEqual(['data.direction: value "out" was removed']);
    const literal = { type: 'object', properties: { type: { type: 'string', const: 'scan.accepted' } } };
    const renamed = { type: 'object', properties: { type: { type: 'string', const: 'scan.ok' } } };
    expect(compatibilityProblems(literal, renamed)).toEqual(['type: value "scan.accepted" was removed']);
  });

  it('reports a nullable property that lost or gained null', () => {
    expect(
      compatibilityProblems(
        base,
        withData((d) => (d.properties.zoneId = id)),
      ),
    ).toEqual(['data.zoneId: type changed from null | string to string']);
    expect(
      compatibilityProblems(
        base,
        withData((d) => (d.properties.badgeId = { anyOf: [id, { type: 'null' }] })),
      ),
    ).toEqual(['data.badgeId: type changed from string to null | string']);
  });

  it('reports tightened constraints, also inside arrays', () => {
    const next = withData((d) => {
      d.properties.count = { type: 'integer', minimum: 1 };
      d.properties.tags = { type: 'array', items: { type: 'string', maxLength: 5 }, maxItems: 3 };
    });
    expect(compatibilityProblems(base, next)).toEqual([
      'data.count: minimum tightened from 0 to 1',
      'data.tags: maxItems tightened from none to 3',
      'data.tags[]: maxLength tightened from 10 to 5',
    ]);
  });

  it('accepts loosened constraints', () => {
    const next = withData((d) => (d.properties.tags = { type: 'array', items: { type: 'string', maxLength: 50 } }));
    expect(compatibilityProblems(base, next)).toEqual([]);
  });

  it('reports a required property that became optional, which old readers rely on', () => {
    const next = withData((d) => (d.required = ['badgeId', 'direction']));
    expect(compatibilityProblems(base, next)).toEqual(['data.count: property is no longer required']);
  });

  it('reports an object that closes itself to additional properties', () => {
    expect(compatibilityProblems(base, { ...base, additionalProperties: false })).toEqual(['(root): no longer accepts additional properties']);
  });

  it('follows local $refs', () => {
    const withRef = (count: unknown): JsonSchema => ({
      type: 'object',
      properties: { count: { $ref: '#/$defs/count' } },
      $defs: { count },
    });
    expect(compatibilityProblems(withRef({ type: 'integer' }), withRef({ type: 'integer' }))).toEqual([]);
    expect(compatibilityProblems(withRef({ type: 'integer' }), withRef({ type: 'string' }))).toEqual(['count: type changed from integer to string']);
  });
});
