import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, type TopicContract } from '@expo/schemas';
import { createTestTopics, kafkaBrokers, startDedicatedKafka, testNames, type TestNames } from '@expo/testkit';
import { on } from '@expo/bus';
import { kafkaPlugin } from '../src/index.ts';
import { ADMIN_TOKEN, buildTestApp } from './helper.ts';

const NoteTaken = defineEvent('note.taken', 1, z.object({ noteId: z.string(), text: z.string() }));

async function notesTopic(names: TestNames, brokers: string) {
  const base = { name: 'notes.v1', key: 'noteId', producer: 'analytics', cleanup: 'delete', partitions: 1, retentionMs: 3_600_000, events: [NoteTaken] } as const satisfies TopicContract;
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
});
