import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, type TopicContract } from '@expo/schemas';
import { createTestTopics, kafkaBrokers, startDedicatedKafka, testNames, type TestNames } from '@expo/testkit';
import { createKafka, on } from '@expo/bus';
import { kafkaPlugin } from '../src/index.ts';
import { ADMIN_TOKEN, buildTestApp } from './helper.ts';

const NoteTaken = defineEvent('note.taken', 1, z.object({ noteId: z.string(), text: z.string() }));

async function notesTopic(names: TestNames, brokers: string) {
  const base = {
    name: 'notes.v1',
    key: 'noteId',
    producer: 'analytics',
    cleanup: 'delete',
    partitions: 1,
    retentionMs: 3_600_000,
    events: [NoteTaken],
  } as const satisfies TopicContract;
  const created = await createTestTopics(names, [base], { brokers });
  return { ...base, name: created.get(base.name)!.name };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type NotesTopic = Awaited<ReturnType<typeof notesTopic>>;

async function appWithNotes(brokers: string, names: TestNames, seen: string[] = [], existing?: NotesTopic) {
  const topic = existing ?? (await notesTopic(names, brokers));
  const { app } = await buildTestApp();
  await app.register(kafkaPlugin, {
    brokers,
    source: 'notes-service',
    expoId: names.expoId,
    sendTimeoutMs: 1500,
    consumers: [{ groupId: names.groupId, handlers: [on(topic, async (event) => void seen.push(event.data.text))] }],
  });
  app.post('/notes', { config: { roles: ['admin'] }, schema: { body: z.object({ text: z.string() }) } }, async (request, reply) => {
    await app.producer.send(topic, [{ type: 'note.taken', eventId: names.expoId, data: { noteId: 'n-1', text: request.body.text } }]);
    return reply.status(201).send({ ok: true });
  });
  await app.ready();
  cleanups.push(() => app.close());
  return app;
}

/** Writes raw records, as another producer (a newer version of one, or a broken one) would. */
async function sendRaw(topic: string, values: string[]) {
  const producer = createKafka({ brokers: kafkaBrokers(), clientId: 'kit-raw' }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `n-${i}`, value, headers: { type: 'note.taken' } })) });
  } finally {
    await producer.disconnect();
  }
}

function noteEnvelope(schemaVersion: number, expoId: string, data: object): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    id: randomUUID(),
    type: 'note.taken',
    schemaVersion,
    eventId: expoId,
    source: 'newer-notes',
    occurredAt: now,
    recordedAt: now,
    data,
  });
}

/** The value of one series at /metrics: the line of `name` whose labels include every one given. */
async function metric(app: Awaited<ReturnType<typeof appWithNotes>>, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = (await app.inject('/metrics')).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const post = (app: Awaited<ReturnType<typeof appWithNotes>>, text: string) =>
  app.inject({ method: 'POST', url: '/notes', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { text } });

describe('kafkaPlugin', () => {
  it('produces from a route, consumes with the typed handler and turns ready once caught up', async () => {
    const names = testNames('kit-kafka');
    const seen: string[] = [];
    const app = await appWithNotes(kafkaBrokers(), names, seen);

    expect((await post(app, 'hello')).statusCode).toBe(201);
    await expect.poll(() => seen, { timeout: 20_000 }).toEqual(['hello']);
    await expect.poll(async () => (await app.inject('/readyz')).statusCode, { timeout: 20_000 }).toBe(200);
  });

  it("hands a consumer only its own expo's events: another expo's notes on the same topic are read past", async () => {
    const names = testNames('kit-kafka-expo');
    const seen: string[] = [];
    const topic = await notesTopic(names, kafkaBrokers());
    const app = await appWithNotes(kafkaBrokers(), names, seen, topic);
    await app.producer.send(topic, [
      { type: 'note.taken', eventId: `${names.expoId}-other`, data: { noteId: 'n-9', text: 'not ours' } },
      { type: 'note.taken', eventId: names.expoId, data: { noteId: 'n-1', text: 'ours' } },
    ]);
    await expect.poll(() => seen, { timeout: 20_000 }).toEqual(['ours']);
    await expect.poll(async () => (await app.inject('/readyz')).statusCode, { timeout: 20_000 }).toBe(200);
  });

  it('answers 503 with Retry-After within 2 s while Kafka is down, and recovers by itself', async () => {
    const kafka = await startDedicatedKafka();
    cleanups.push(() => kafka.destroy());
    const app = await appWithNotes(kafka.brokers, testNames('kit-kafka-outage'));
    expect((await post(app, 'before')).statusCode).toBe(201);

    await kafka.stop();
    const started = Date.now();
    const down = await post(app, 'during');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('2');
    expect(down.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
    expect((await app.inject('/readyz')).statusCode).toBe(503);

    await kafka.restart();
    await expect.poll(async () => (await post(app, 'after')).statusCode, { timeout: 30_000, interval: 500 }).toBe(201);
    // Readiness also waits for the consumer to rejoin its group; kafkajs's reconnect backoff grows
    // to 30 s between attempts, so a loaded machine can take longer than the producer did.
    await expect.poll(async () => (await app.inject('/readyz')).statusCode, { timeout: 90_000, interval: 500 }).toBe(200);
  }, 240_000);

  it('starts while Kafka is down and turns ready, consuming, once the broker is up', async () => {
    const kafka = await startDedicatedKafka();
    cleanups.push(() => kafka.destroy());
    const names = testNames('kit-kafka-late');
    const topic = await notesTopic(names, kafka.brokers);
    await kafka.stop();

    const seen: string[] = [];
    const app = await appWithNotes(kafka.brokers, names, seen, topic);
    expect((await app.inject('/readyz')).statusCode).toBe(503);

    await kafka.restart();
    await expect.poll(async () => (await post(app, 'late')).statusCode, { timeout: 30_000, interval: 500 }).toBe(201);
    await expect.poll(() => seen, { timeout: 90_000, interval: 500 }).toEqual(['late']);
    await expect.poll(async () => (await app.inject('/readyz')).statusCode, { timeout: 30_000, interval: 500 }).toBe(200);
  }, 240_000);

  it('a partition stopped at a newer schema version it cannot read warns on /readyz (still 200, where and why) and shows in bus_consumer_paused', async () => {
    const names = testNames('kit-kafka-newer');
    const topic = await notesTopic(names, kafkaBrokers());
    // v2 of note.taken made `text` an object: this service knows v1 only.
    await sendRaw(topic.name, [
      noteEnvelope(2, names.expoId, { noteId: 'n-1', text: { en: 'hello' } }),
      noteEnvelope(1, names.expoId, { noteId: 'n-2', text: 'after' }),
    ]);
    const seen: string[] = [];
    const app = await appWithNotes(kafkaBrokers(), names, seen, topic);

    await expect
      .poll(
        async () =>
          (await app.inject('/readyz'))
            .json<{ checks: Array<{ name: string; status: string }> }>()
            .checks.find((c) => c.name === `kafka-consumer:${names.groupId}`)?.status,
        { timeout: 30_000 },
      )
      .toBe('warn');
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: expect.arrayContaining([
        {
          name: `kafka-consumer:${names.groupId}`,
          status: 'warn',
          detail: expect.stringContaining(`${topic.name}/0 stopped at offset 0: schema note.taken v2 read as v1: data.text`),
        },
      ]),
    });
    expect(await metric(app, 'bus_consumer_paused', { topic: topic.name, partition: '0', reason: 'newer_schema' })).toBe(1);
    expect(seen).toEqual([]);
  });

  it('counts dead-lettered records per topic and reason at /metrics, and those waiting for a replay', async () => {
    const names = testNames('kit-kafka-dlq');
    const topic = await notesTopic(names, kafkaBrokers());
    await sendRaw(topic.name, ['{"half a record', noteEnvelope(1, names.expoId, { noteId: 'n-2', text: 'fine' })]);
    const seen: string[] = [];
    const app = await appWithNotes(kafkaBrokers(), names, seen, topic);

    await expect.poll(() => seen, { timeout: 30_000 }).toEqual(['fine']);
    await expect.poll(() => metric(app, 'bus_dlq_records_total', { group: names.groupId, topic: topic.name, reason: 'not_json' })).toBe(1);
    await expect.poll(() => metric(app, 'bus_dlq_records_waiting', { topic: topic.name }), { timeout: 20_000, interval: 500 }).toBe(1);
  });
});
