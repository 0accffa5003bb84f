import type { JsonSchema } from './json-schema.ts';

/**
 * Breaking changes between two JSON Schemas of the same event type and version. A record schema
 * must stay readable both ways within a major version: new readers still read old records (a
 * compacted topic keeps them for ever) and old readers read new records. So removing a property,
 * changing a type (widening included: a field that becomes nullable breaks old readers), making a
 * property required or optional, removing an enum or literal value and tightening a bound or a
 * pattern are problems; adding an optional property (or an enum value) is not.
 */
export function compatibilityProblems(baseline: JsonSchema, current: JsonSchema): string[] {
  const problems: string[] = [];
  compareNodes({ baseRoot: baseline, curRoot: current, problems, seen: new WeakMap() }, baseline, current, '');
  return problems;
}

type Node = JsonSchema | boolean;

interface Context {
  readonly baseRoot: JsonSchema;
  readonly curRoot: JsonSchema;
  readonly problems: string[];
  /** Node pairs already compared: `$ref`s may form cycles. */
  readonly seen: WeakMap<JsonSchema, WeakSet<JsonSchema>>;
}

const TIGHTER_IF_HIGHER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const TIGHTER_IF_LOWER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function label(path: string): string {
  return path === '' ? '(root)' : path;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function resolve(node: Node, root: JsonSchema): Node {
  let current = node;
  for (let depth = 0; depth < 32 && isObject(current) && typeof current.$ref === 'string'; depth += 1) {
    const ref = current.$ref;
    if (!ref.startsWith('#')) return current;
    const target = ref
      .slice(1)
      .split('/')
      .filter((p) => p !== '')
      .reduce<unknown>((at, part) => (isObject(at) ? at[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined), root);
    current = isObject(target) || typeof target === 'boolean' ? target : {};
  }
  return current;
}

function variants(node: JsonSchema): Node[] | undefined {
  const list = node.anyOf ?? node.oneOf;
  return Array.isArray(list) ? (list as Node[]) : undefined;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The JSON types a schema admits; empty means unconstrained. */
function typesOf(node: Node, root: JsonSchema): Set<string> {
  const schema = resolve(node, root);
  if (!isObject(schema)) return new Set();
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(schema.type as string[]);
  const list = variants(schema);
  if (list) return new Set(list.flatMap((v) => [...typesOf(v, root)]));
  const values = valuesOf(schema);
  return values ? new Set(values.map(jsonTypeOf)) : new Set();
}

function valuesOf(schema: JsonSchema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

function describeTypes(types: Set<string>): string {
  return types.size === 0 ? 'any' : [...types].sort().join(' | ');
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function compareNodes(ctx: Context, baseNode: Node, curNode: Node, path: string): void {
  const base = resolve(baseNode, ctx.baseRoot);
  const cur = resolve(curNode, ctx.curRoot);
  if (!isObject(base) || !isObject(cur)) {
    if (base !== cur) ctx.problems.push(`${label(path)}: schema changed from ${JSON.stringify(base)} to ${JSON.stringify(cur)}`);
    return;
  }
  const pairs = ctx.seen.get(base) ?? new WeakSet<JsonSchema>();
  if (pairs.has(cur)) return;
  ctx.seen.set(base, pairs.add(cur));

  const baseTypes = typesOf(base, ctx.baseRoot);
  const curTypes = typesOf(cur, ctx.curRoot);
  if (!sameSet(baseTypes, curTypes)) {
    ctx.problems.push(`${label(path)}: type changed from ${describeTypes(baseTypes)} to ${describeTypes(curTypes)}`);
    return;
  }
  const baseVariants = variants(base);
  const curVariants = variants(cur);
  if (baseVariants || curVariants) {
    compareVariants(ctx, baseVariants ?? [base], curVariants ?? [cur], path);
    return;
  }
  compareValues(ctx, base, cur, path);
  compareBounds(ctx, base, cur, path);
  compareObjects(ctx, base, cur, path);
  compareArrays(ctx, base, cur, path);
}

/** Each baseline variant must live on in a current variant of the same JSON types. */
function compareVariants(ctx: Context, baseList: Node[], curList: Node[], path: string): void {
  for (const baseVariant of baseList) {
    const types = typesOf(baseVariant, ctx.baseRoot);
    const match = curList.find((c) => sameSet(typesOf(c, ctx.curRoot), types));
    if (match === undefined) ctx.problems.push(`${label(path)}: the ${describeTypes(types)} variant was removed`);
    else compareNodes(ctx, baseVariant, match, path);
  }
}

function compareValues(ctx: Context, base: JsonSchema, cur: JsonSchema, path: string): void {
  const curValues = valuesOf(cur);
  if (curValues === undefined) return;
  const baseValues = valuesOf(base);
  if (baseValues === undefined) {
    ctx.problems.push(`${label(path)}: now restricted to ${JSON.stringify(curValues)}`);
    return;
  }
  const kept = new Set(curValues.map((v) => JSON.stringify(v)));
  for (const value of baseValues) {
    if (!kept.has(JSON.stringify(value))) ctx.problems.push(`${label(path)}: value ${JSON.stringify(value)} was removed`);
  }
}

function compareBounds(ctx: Context, base: JsonSchema, cur: JsonSchema, path: string): void {
  for (const key of TIGHTER_IF_HIGHER) {
    const [b, c] = [base[key], cur[key]];
    if (typeof c === 'number' && (typeof b !== 'number' || c > b)) {
      ctx.problems.push(`${label(path)}: ${key} tightened from ${typeof b === 'number' ? b : 'none'} to ${c}`);
    }
  }
  for (const key of TIGHTER_IF_LOWER) {
    const [b, c] = [base[key], cur[key]];
    if (typeof c === 'number' && (typeof b !== 'number' || c < b)) {
      ctx.problems.push(`${label(path)}: ${key} tightened from ${typeof b === 'number' ? b : 'none'} to ${c}`);
    }
  }
  for (const key of ['pattern', 'format'] as const) {
    if (cur[key] !== undefined && cur[key] !== base[key]) {
      ctx.problems.push(`${label(path)}: ${key} changed from ${JSON.stringify(base[key] ?? null)} to ${JSON.stringify(cur[key])}`);
    }
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function compareObjects(ctx: Context, base: JsonSchema, cur: JsonSchema, path: string): void {
  const baseProps = isObject(base.properties) ? base.properties : {};
  const curProps = isObject(cur.properties) ? cur.properties : {};
  for (const [name, schema] of Object.entries(baseProps)) {
    const next = curProps[name];
    if (next === undefined) ctx.problems.push(`${join(path, name)}: property removed`);
    else compareNodes(ctx, schema as Node, next as Node, join(path, name));
  }
  const baseRequired = new Set(stringList(base.required));
  const curRequired = new Set(stringList(cur.required));
  for (const name of curRequired) {
    if (baseRequired.has(name)) continue;
    const what = name in baseProps ? 'property became required' : 'new required property';
    ctx.problems.push(`${join(path, name)}: ${what}`);
  }
  for (const name of baseRequired) {
    if (!curRequired.has(name) && name in curProps) ctx.problems.push(`${join(path, name)}: property is no longer required`);
  }
  if (cur.additionalProperties === false && base.additionalProperties !== false) {
    ctx.problems.push(`${label(path)}: no longer accepts additional properties`);
  } else if (isObject(base.additionalProperties) && isObject(cur.additionalProperties)) {
    compareNodes(ctx, base.additionalProperties, cur.additionalProperties, join(path, '*'));
  }
}

function compareArrays(ctx: Context, base: JsonSchema, cur: JsonSchema, path: string): void {
  if ((isObject(base.items) || typeof base.items === 'boolean') && cur.items !== undefined) {
    compareNodes(ctx, base.items, cur.items as Node, `${path}[]`);
  }
  const basePrefix = Array.isArray(base.prefixItems) ? (base.prefixItems as Node[]) : [];
  const curPrefix = Array.isArray(cur.prefixItems) ? (cur.prefixItems as Node[]) : [];
  basePrefix.forEach((schema, i) => {
    const next = curPrefix[i];
    if (next === undefined) ctx.problems.push(`${path}[${i}]: tuple item removed`);
    else compareNodes(ctx, schema, next, `${path}[${i}]`);
  });
}
