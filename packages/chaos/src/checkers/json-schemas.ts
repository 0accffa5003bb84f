import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { HEADER_SCHEMA_VERSION, HEADER_TYPE, headerString } from '@expo/bus';
import { publishedSchemas, TOPICS } from '@expo/schemas';
import type { CheckInput, CheckResult } from './check-result.ts';
import { poisonCounts, poisonKey } from './poison-keys.ts';
import { readLog, type LogMessage } from './read-log.ts';
import { Tally } from './tally.ts';

type Validate = ReturnType<Ajv2020['compile']>;

const COUNTS = ['records', 'invalid', 'unknownType', 'headerMismatch', 'tombstones', 'poison', 'missingTopics'];

let validators: Map<string, Validate> | null = null;

/**
 * A validator per topic, event type and version, from the published files' content: a stock
 * draft 2020-12 validator and nothing from zod, as a consumer in another language checks records
 * (the pattern of packages/schemas/test/json-schema.test.ts).
 */
function validatorsByType(): Map<string, Validate> {
  if (validators) return validators;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS; under NodeNext its default import is the module object.
  ajvFormats.default(ajv);
  validators = new Map(publishedSchemas().map((s) => [`${s.topic}|${s.definition.type}|${s.definition.schemaVersion}`, ajv.compile(s.schema)]));
  return validators;
}

function checkRecord(topic: string, partition: number, message: LogMessage, value: string, tally: Tally): void {
  const at = `${topic}[${partition}]@${message.offset}`;
  let record: { type?: unknown; schemaVersion?: unknown } | null;
  try {
    record = JSON.parse(value) as typeof record;
  } catch {
    return tally.problem('invalid', `${at} is not JSON`);
  }
  const [type, version] = [String(record?.type), String(record?.schemaVersion)];
  const validate = validatorsByType().get(`${topic}|${type}|${version}`);
  if (!validate) return tally.problem('unknownType', `${at} has type ${type} v${version}, which has no published schema on this topic`);
  if (!validate(record)) {
    const first = validate.errors?.[0];
    tally.problem('invalid', `${at} (${type}): ${first ? `${first.instancePath || '(root)'} ${first.message ?? ''}` : 'invalid'}`);
  }
  // Readers pick the schema by these headers (publishedSchemaIndex): they must say what the body says.
  const headerType = headerString(message.headers, HEADER_TYPE);
  const headerVersion = headerString(message.headers, HEADER_SCHEMA_VERSION);
  if (headerType !== type || headerVersion !== version) {
    tally.problem('headerMismatch', `${at} headers say ${headerType ?? '-'} v${headerVersion ?? '-'}, the record ${type} v${version}`);
  }
}

/**
 * Every record on every platform topic, of any expo, validates against the published JSON Schema
 * of its envelope's type and version, with headers that agree. The workload's poison records are
 * skipped (they are meant to be unreadable: see dead-letters.ts), and tombstones have no schema.
 * Dead-letter topics have no schemas of their own (a dead letter keeps the original's bytes), so
 * they are not read. Checked: records read.
 */
export async function checkJsonSchemas(input: CheckInput): Promise<CheckResult> {
  const tally = new Tally(COUNTS);
  const poison = poisonCounts(input.journal.poison);
  const names = new Map(Object.values(TOPICS).map((t) => [`${input.topicPrefix}${t.name}`, t.name as string]));
  const read = await readLog(input.kafka, [...names.keys()], ({ topic, partition, message }) => {
    tally.add('records');
    if (message.value === null) return tally.add('tombstones');
    const value = message.value.toString('utf8');
    if (poison.has(poisonKey(topic, message.key?.toString() ?? null, value))) return tally.add('poison');
    checkRecord(names.get(topic) ?? topic, partition, message, value, tally);
  });
  tally.add('missingTopics', read.missing.length);
  return tally.result('json-schemas', read.records);
}
