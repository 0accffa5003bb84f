import { DLQ_HEADERS, headerString } from '@expo/bus';
import { dlqTopicName, TOPICS } from '@expo/schemas';
import type { CheckInput, CheckResult } from './check-result.ts';
import { platformDeadLetterGroups, type DeadLetterGroups } from './dead-letter-groups.ts';
import { poisonCounts, poisonKey } from './poison-keys.ts';
import { readLog, type LogRecord } from './read-log.ts';
import { Tally } from './tally.ts';

export interface DeadLetterInput extends CheckInput {
  /** Which groups dead-letter what; the platform's defaults (platformDeadLetterGroups) if not given. */
  readonly groups?: DeadLetterGroups;
}

/** The dead letters of each poison record: by group, the source positions it was dead-lettered from, with copies. */
type Letters = Map<string, Map<string, Map<string, number>>>;

const COUNTS = [
  ...['deadLetters', 'poison', 'expected', 'found', 'missing', 'duplicated', 'redelivered', 'perInstance'],
  ...['unexpected', 'unexpectedGroup', 'misfiled', 'otherExpo', 'missingTopics'],
];

function ofOtherExpo(value: string | null, expoId: string): boolean {
  try {
    const eventId = (JSON.parse(value ?? 'null') as { eventId?: unknown } | null)?.eventId;
    return typeof eventId === 'string' && eventId !== expoId;
  } catch {
    return false;
  }
}

function collect(input: CheckInput, poison: Map<string, number>, dlqSources: Map<string, string>, tally: Tally) {
  const letters: Letters = new Map();
  return {
    letters,
    onRecord: ({ topic, message }: LogRecord) => {
      tally.add('deadLetters');
      const source = dlqSources.get(topic) ?? topic;
      const header = headerString(message.headers, DLQ_HEADERS.topic);
      if (header !== source) tally.problem('misfiled', `${topic}@${message.offset} says it came from ${header ?? '(no header)'}`);
      const value = message.value?.toString('utf8') ?? null;
      const key = poisonKey(source, message.key?.toString() ?? null, value);
      if (!poison.has(key)) {
        if (ofOtherExpo(value, input.expoId)) return tally.add('otherExpo');
        const code = headerString(message.headers, DLQ_HEADERS.code) ?? 'no code';
        return tally.problem('unexpected', `${topic}@${message.offset} (${code}) is not a poison record of the journal`);
      }
      const group = headerString(message.headers, DLQ_HEADERS.group) ?? '(no group)';
      const [partition, offset] = [DLQ_HEADERS.partition, DLQ_HEADERS.offset].map((h) => headerString(message.headers, h) ?? '?');
      const from = `${partition}@${offset}`;
      const byGroup = letters.get(key) ?? new Map<string, Map<string, number>>();
      const positions = byGroup.get(group) ?? new Map<string, number>();
      letters.set(key, byGroup.set(group, positions.set(from, (positions.get(from) ?? 0) + 1)));
    },
  };
}

/** One poison record written `written` times, against its dead letters: `written` source positions per group. */
function checkPoison(
  key: string,
  written: number,
  letters: Letters,
  groups: { required: readonly string[]; perInstance: readonly string[] },
  tally: Tally,
): void {
  const byGroup = letters.get(key) ?? new Map<string, Map<string, number>>();
  const [topic, recordKey] = JSON.parse(key) as [string, string];
  const what = `poison ${recordKey} on ${topic}`;
  for (const group of groups.required) {
    tally.add('expected', written);
    const found = byGroup.get(group)?.size ?? 0;
    tally.add('found', Math.min(found, written));
    const of = written > 1 ? ` (${found} of ${written})` : '';
    if (found < written) tally.problem('missing', `${what} was not dead-lettered by ${group}${of}`);
  }
  for (const [group, positions] of byGroup) {
    // The dead letter is written before the offset is committed: a consumer that dies in between
    // (or state rebuilt to an earlier position) writes it again from the same position.
    for (const copies of positions.values()) tally.add('redelivered', copies - 1);
    if (positions.size > written) {
      tally.problem('duplicated', `${what} was dead-lettered by ${group} from ${positions.size} positions, written ${written} time(s)`);
    }
    if (groups.perInstance.some((prefix) => group.startsWith(prefix))) tally.add('perInstance');
    else if (!groups.required.includes(group)) {
      tally.problem('unexpectedGroup', `${what} was dead-lettered by ${group}, which does not consume it`);
    }
  }
}

/**
 * The dead-letter topics hold the journal's poison records and nothing else: each poison record
 * (matched by original topic, key and value, which a dead letter keeps byte for byte: bus dlq.ts)
 * once per consuming group, redeliveries from the same source position aside. Dead letters of
 * other expos' records (a shared prefix) are left to their own run. Checked: dead letters read.
 */
export async function checkDeadLetters(input: DeadLetterInput): Promise<CheckResult> {
  const tally = new Tally(COUNTS);
  const groups = input.groups ?? platformDeadLetterGroups(input.expoId);
  const poison = poisonCounts(input.journal.poison);
  tally.add('poison', input.journal.poison.length);
  const sources = Object.values(TOPICS).map((t) => ({ name: t.name, full: `${input.topicPrefix}${t.name}` }));
  const dlqSources = new Map(sources.map((s) => [dlqTopicName(s.full), s.full]));
  const { letters, onRecord } = collect(input, poison, dlqSources, tally);
  const read = await readLog(input.kafka, [...dlqSources.keys()], onRecord);
  tally.add('missingTopics', read.missing.length);
  for (const [key, written] of poison) {
    const [topic] = JSON.parse(key) as [string];
    const name = sources.find((s) => s.full === topic)?.name ?? topic;
    checkPoison(key, written, letters, { required: groups.required[name] ?? [], perInstance: groups.perInstance[name] ?? [] }, tally);
  }
  return tally.result('dead-letters', read.records);
}
