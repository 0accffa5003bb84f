import { z } from 'zod';
import { createKafka, listDeadLetterTopics, readDeadLetters, replayDeadLetters, type DlqCounts } from '@expo/bus';
import { baseConfigShape, ConfigError, kafkaConnectionFrom, kafkaSecurityShape, loadConfig } from './config.ts';

// On a secured broker the operator runs it as a user allowed to replay (the admin: see kafka-acls.ts).
const DlqConfigSchema = z.object({ KAFKA_BROKERS: baseConfigShape.KAFKA_BROKERS, TOPIC_PREFIX: baseConfigShape.TOPIC_PREFIX, ...kafkaSecurityShape });

export const DLQ_USAGE = [
  'usage: pnpm dlq <command> [options]   (KAFKA_BROKERS, and TOPIC_PREFIX if the platform uses one)',
  '  list [--prefix <p>] [--json]   dead-letter topics: records held, replayed, waiting',
  '  show <topic> [--limit <n>]     the dead-lettered records, one JSON object a line: reason, origin, key, value',
  '  replay <topic>                 re-produce the waiting records onto their source topic (same ids)',
  '<topic> is a topic or its .dlq twin, e.g. registration.badges.v1',
].join('\n');

interface Parsed {
  readonly command: string | undefined;
  readonly topic: string | undefined;
  readonly flags: ReadonlyMap<string, string | true>;
}

function parseArgs(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') flags.set('json', true);
    else if (arg.startsWith('--')) flags.set(arg.slice(2), argv[++i] ?? '');
    else positional.push(arg);
  }
  return { command: positional[0], topic: positional[1], flags };
}

function table(counts: readonly DlqCounts[]): string[] {
  const rows = [['topic', 'records', 'replayed', 'waiting'], ...counts.map((c) => [c.topic, String(c.records), String(c.replayed), String(c.waiting)])];
  const width = (col: number) => Math.max(...rows.map((r) => (r[col] ?? '').length));
  return rows.map((r) => r.map((cell, col) => (col === 0 ? cell.padEnd(width(col)) : cell.padStart(width(col)))).join('  '));
}

/**
 * `pnpm dlq list|show|replay <topic>`: what the consumers dead-lettered, and putting it back
 * once the cause is fixed. It lives here, beside `requestRebuild`, because it is an operator's
 * command every service shares: the Kafka work is the bus's (dlq-counts.ts, dlq-replay.ts), the
 * environment is read as every service reads it. Answers the process exit code.
 */
export async function runDlqCommand(argv: readonly string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const { command, topic, flags } = parseArgs(argv);
  if (command !== 'list' && !((command === 'show' || command === 'replay') && topic)) {
    out(DLQ_USAGE);
    return 2;
  }
  let config: z.infer<typeof DlqConfigSchema>;
  try {
    config = loadConfig(DlqConfigSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out(error.message);
    return 2;
  }
  const kafka = createKafka({ ...kafkaConnectionFrom(config), clientId: 'dlq-command' });
  const named = (t: string) => (t.startsWith(config.TOPIC_PREFIX) ? t : `${config.TOPIC_PREFIX}${t}`);
  if (command === 'list') {
    const prefix = flags.get('prefix');
    const counts = await listDeadLetterTopics(kafka, { prefix: typeof prefix === 'string' ? prefix : config.TOPIC_PREFIX });
    for (const line of flags.has('json') ? counts.map((c) => JSON.stringify(c)) : table(counts)) out(line);
    return 0;
  }
  if (command === 'show') {
    const limit = Number(flags.get('limit') ?? 1000);
    for (const entry of await readDeadLetters(kafka, named(topic as string), { limit })) out(JSON.stringify(entry));
    return 0;
  }
  const result = await replayDeadLetters(kafka, named(topic as string));
  const sent = Object.entries(result.replayed);
  out(JSON.stringify({ replayed: sent.reduce((n, [, c]) => n + c, 0), from: result.dlqTopic, to: Object.fromEntries(sent) }));
  return 0;
}
