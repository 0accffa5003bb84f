import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKafka, on } from '@expo/bus';
import { defineEvent, type TopicContract } from '@expo/schemas';
import { createTestTopics, kafkaBrokers, testNames, type TestNames } from '@expo/testkit';
import { kafkaPlugin, runDlqCommand } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

const NoteTaken = defineEvent('note.taken', 1, z.object({ noteId: z.string(), text: z.string() }));

async function notesTopic(names: TestNames) {
  const base = {
    name: 'notes.v1',
    key: 'noteId',
    producer: 'analytics',
    cleanup: 'delete',
    partitions: 2,
    retentionMs: 3_600_000,
    events: [NoteTaken],
  } as const satisfies TopicContract;
  const created = await createTestTopics(names, [base]);
  return { ...base, name: created.get(base.name)!.name };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The command as `pnpm dlq …` runs it, in this process: its output lines and exit code. */
async function dlq(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runDlqCommand(argv, { KAFKA_BROKERS: kafkaBrokers() }, (line) => lines.push(line));
  return { code, lines };
}

const json = <T>(lines: string[]) => lines.map((l) => JSON.parse(l) as T);

/** A service whose consumer refuses the note "poison" until `fixed`: the bug the replay follows. */
async function notesService(names: TestNames, topic: Awaited<ReturnType<typeof notesTopic>>) {
  const applied: string[] = [];
  const state = { fixed: false };
  const { app } = await buildTestApp();
  await app.register(kafkaPlugin, {
    brokers: kafkaBrokers(),
    source: 'notes-service',
    expoId: names.expoId,
    consumers: [
      {
        groupId: names.groupId,
        handlers: [
          on(topic, async (event) => {
            if (event.data.text === 'poison' && !state.fixed) throw new Error('cannot file a note about poison');
            applied.push(`${event.id}:${event.data.text}`);
          }),
        ],
      },
    ],
  });
  await app.ready();
  cleanups.push(() => app.close());
  return { app, applied, state };
}

describe('pnpm dlq', () => {
  it('lists dead-letter topics with counts, shows their records with the reason, and replays each once onto the source topic', async () => {
    const names = testNames('dlq-command');
    const topic = await notesTopic(names);
    const dlqTopic = `${topic.name}.dlq`;
    const raw = createKafka({ brokers: kafkaBrokers(), clientId: 'dlq-test' }).producer();
    await raw.connect();
    cleanups.push(() => raw.disconnect());
    await raw.send({ topic: topic.name, acks: -1, messages: [{ key: 'n-1', value: 'not a record', headers: { type: 'note.taken' } }] });
    const service = await notesService(names, topic);
    const [poison] = await service.app.producer.send(topic, [{ type: 'note.taken', eventId: names.expoId, data: { noteId: 'n-2', text: 'poison' } }]);

    await expect
      .poll(async () => json<{ topic: string; records: number }>((await dlq('list', '--prefix', names.topicPrefix, '--json')).lines), { timeout: 30_000 })
      .toEqual([{ topic: dlqTopic, records: 2, replayed: 0, waiting: 2 }]);

    const shown = json<Record<string, unknown>>((await dlq('show', topic.name)).lines);
    expect(shown).toHaveLength(2);
    expect(shown).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'not_json', reason: 'value is not JSON', key: 'n-1', value: 'not a record', group: names.groupId, replayed: false }),
        expect.objectContaining({
          code: 'handler_error',
          reason: 'handler failed after 3 attempts: cannot file a note about poison',
          key: 'n-2',
          type: 'note.taken',
          schemaVersion: '1',
          value: expect.objectContaining({ id: poison!.id, data: { noteId: 'n-2', text: 'poison' } }),
          source: expect.objectContaining({ topic: topic.name }),
          replayed: false,
        }),
      ]),
    );

    // The bug is fixed: the replay puts both records back; the note is applied under its own id,
    // the bytes that were never a record are dead-lettered again.
    service.state.fixed = true;
    const first = await dlq('replay', topic.name);
    expect(first).toEqual({ code: 0, lines: [JSON.stringify({ replayed: 2, from: dlqTopic, to: { [topic.name]: 2 } })] });
    await expect.poll(() => service.applied, { timeout: 30_000 }).toEqual([`${poison!.id}:poison`]);
    await expect
      .poll(async () => json<{ records: number }>((await dlq('list', '--prefix', names.topicPrefix, '--json')).lines), { timeout: 30_000 })
      .toEqual([{ topic: dlqTopic, records: 3, replayed: 2, waiting: 1 }]);

    // The replay group remembers how far it got: only the record dead-lettered since is sent.
    const second = await dlq('replay', topic.name);
    expect(json<{ replayed: number }>(second.lines)).toEqual([{ replayed: 1, from: dlqTopic, to: { [topic.name]: 1 } }]);
    // What is not a record comes back once more; `show` marks what the replays already sent.
    await expect
      .poll(async () => json<{ records: number }>((await dlq('list', '--prefix', names.topicPrefix, '--json')).lines), { timeout: 30_000 })
      .toEqual([{ topic: dlqTopic, records: 4, replayed: 3, waiting: 1 }]);
    const marks = json<{ key: string; replayed: boolean }>((await dlq('show', dlqTopic)).lines).map((e) => `${e.key}:${e.replayed}`);
    expect(marks.sort()).toEqual(['n-1:false', 'n-1:true', 'n-1:true', 'n-2:true']);
    expect(service.applied).toEqual([`${poison!.id}:poison`]);
  }, 120_000);

  it('runs from the repository root as `pnpm dlq`, and explains itself when asked nothing', async () => {
    const names = testNames('dlq-root');
    const topic = await notesTopic(names);
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const run = promisify(execFile);
    const env = { ...process.env, KAFKA_BROKERS: kafkaBrokers() };
    const { stdout } = await run('pnpm', ['--silent', 'dlq', 'list', '--prefix', names.topicPrefix], { cwd: root, env });
    expect(stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^topic\s+records\s+replayed\s+waiting$/),
      expect.stringMatching(new RegExp(`^${topic.name.replaceAll('.', '\\.')}\\.dlq\\s+0\\s+0\\s+0$`)),
    ]);
    expect((await dlq()).code).toBe(2);
    expect((await dlq('show')).lines.join('\n')).toContain('usage: pnpm dlq');
  }, 60_000);
});
