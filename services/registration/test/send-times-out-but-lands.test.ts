import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { admin, attendeeBody, recordsOf, setupRegistration } from './helper.ts';

// A produce request that times out is not a failed one: kafkajs has handed it to the broker, and
// the broker may append it later. Here the broker's JVM is paused (SIGSTOP) for longer than the
// producer's 1.5 s send bound, so the request answers 503 while its record waits in the broker's
// socket, and lands when the JVM resumes (SIGCONT). One person must stay one attendee.
let kafka: DedicatedKafka;
let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  kafka = await startDedicatedKafka();
  reg = await setupRegistration('reg-lands', { KAFKA_BROKERS: kafka.brokers });
  // The producer's connection and the topics' metadata exist before the pause, so the first
  // request's records reach the broker's socket instead of waiting for a metadata answer.
  expect((await register(attendeeBody())).statusCode).toBe(201);
}, 180_000);
afterAll(async () => {
  await reg.close();
  await kafka.destroy();
});

const register = (body: object, key?: string, app: ServiceApp = reg.app) =>
  app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers: key ? { 'idempotency-key': key } : {} });

/** Runs `during` with the broker's JVM paused, and resumes it whatever happens. */
async function withBrokerPaused<T>(during: () => Promise<T>): Promise<T> {
  const java = Number(execFileSync('pgrep', ['-P', String(kafka.pid), '-x', 'java'], { encoding: 'utf8' }).trim());
  process.kill(java, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(java, 'SIGCONT');
  }
}

/** The distinct attendeeIds the attendees topic holds for an email. */
async function attendeeIdsOnTopic(email: string): Promise<string[]> {
  const records = await recordsOf(reg.topics.attendees, kafka.brokers);
  return [...new Set(records.flatMap((r) => (r.event?.data.email === email ? [r.event.data.attendeeId] : [])))];
}

const conflictId = (res: { json(): unknown }) => (res.json() as { error: { details: Array<{ attendeeId?: string }> } }).error.details[0]?.attendeeId;

describe('a registration whose send times out but lands', () => {
  it('stays one attendee: the retry with its key answers 201 with it, another key 409 with it', async () => {
    const body = attendeeBody();
    const key = `lands-${reg.names.suffix}`;
    const { first, retry, other } = await withBrokerPaused(async () => {
      const started = Date.now();
      const first = await register(body, key);
      expect(Date.now() - started).toBeLessThan(2000);
      return { first, retry: await register(body, key), other: await register(body, `other-${reg.names.suffix}`) };
    });
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBeDefined();
    // While Kafka does not acknowledge, the retry is still unknown; the e-mail stays taken.
    expect.soft(retry.statusCode).toBe(503);
    expect.soft(other.statusCode).toBe(409);
    const held = conflictId(other);

    const resumed = await vi.waitFor(
      async () => {
        const res = await register(body, key);
        expect(res.statusCode).not.toBe(503);
        return res;
      },
      { timeout: 30_000, interval: 500 },
    );
    expect.soft(resumed.statusCode).toBe(201);
    const attendeeId = resumed.json<{ attendeeId: string }>().attendeeId;
    expect.soft(attendeeId).toBe(held);
    const again = await register(body, `third-${reg.names.suffix}`);
    expect.soft(again.statusCode).toBe(409);
    expect.soft(conflictId(again)).toBe(attendeeId);

    expect(await attendeeIdsOnTopic(body.email)).toEqual([attendeeId]);
    const fetched = await reg.app.inject({ url: `/v1/attendees/${attendeeId}`, headers: admin });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toMatchObject({ attendeeId, email: body.email, status: 'active' });
  }, 120_000);

  it('is confirmed by the outbox without any retry: readable once on the log, and a late retry gets it', async () => {
    const body = attendeeBody();
    const key = `quiet-${reg.names.suffix}`;
    const { first, other } = await withBrokerPaused(async () => ({ first: await register(body, key), other: await register(body) }));
    expect(first.statusCode).toBe(503);
    expect(other.statusCode).toBe(409);
    const attendeeId = conflictId(other)!;
    expect((await reg.app.inject({ url: `/v1/attendees/${attendeeId}`, headers: admin })).statusCode).toBe(404);

    await expect
      .poll(async () => (await reg.app.inject({ url: `/v1/attendees/${attendeeId}`, headers: admin })).statusCode, { timeout: 30_000, interval: 250 })
      .toBe(200);
    await expect.poll(() => reg.app.registration.store.outbox.size(), { timeout: 10_000 }).toBe(0);
    expect(await attendeeIdsOnTopic(body.email)).toEqual([attendeeId]);
    const late = await register(body, key);
    expect(late.statusCode).toBe(201);
    expect(late.json()).toMatchObject({ attendeeId });
  }, 120_000);

  it('a CSV import: answers 503, its rows become attendees once, and importing again names them', async () => {
    const bodies = [attendeeBody({ name: 'Row One' }), attendeeBody({ name: 'Row Two' }), attendeeBody({ name: 'Row Three' })];
    const header = 'category,name,nameLocal,email,organisation,country,interests,days,delegationId,subGroupId,exhibitorId,consent';
    const csv = [header, ...bodies.map((b) => `professional_visitor,${b.name},,${b.email},,KE,,,,,,true`)].join('\n');
    const importCsv = () => reg.app.inject({ method: 'POST', url: '/v1/attendees/import', payload: csv, headers: { ...admin, 'content-type': 'text/csv' } });
    const failed = await withBrokerPaused(importCsv);
    expect(failed.statusCode).toBe(503);

    await expect.poll(() => reg.app.registration.store.outbox.size(), { timeout: 30_000, interval: 250 }).toBe(0);
    const again = await importCsv();
    expect(again.statusCode).toBe(200);
    const rows = again.json<{ duplicates: number; rows: Array<{ row: number; status: string; attendeeId: string }> }>().rows;
    expect(rows.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    for (const [i, b] of bodies.entries()) {
      expect(await attendeeIdsOnTopic(b.email)).toEqual([rows[i]!.attendeeId]);
      expect((await reg.app.inject({ url: `/v1/attendees/${rows[i]!.attendeeId}`, headers: admin })).json()).toMatchObject({ email: b.email });
    }
  }, 120_000);
});

describe('a send Kafka certainly refused', () => {
  it('frees the e-mail and the Idempotency-Key: the retry registers it anew', async () => {
    // A producer already closed (an instance shutting down) refuses before sending anything.
    const closing = await reg.instance();
    await closing.producer.disconnect();
    const body = attendeeBody();
    const key = `refused-${reg.names.suffix}`;
    const refused = await register(body, key, closing);
    expect(refused.statusCode).toBe(503);
    expect(await reg.app.registration.store.outbox.size()).toBe(0);

    const retried = await register(body, key);
    expect(retried.statusCode).toBe(201);
    const { attendeeId } = retried.json<{ attendeeId: string }>();
    const other = await register(body, `refused-other-${reg.names.suffix}`);
    expect(other.statusCode).toBe(409);
    expect(conflictId(other)).toBe(attendeeId);
    expect(await attendeeIdsOnTopic(body.email)).toEqual([attendeeId]);
  }, 60_000);
});
