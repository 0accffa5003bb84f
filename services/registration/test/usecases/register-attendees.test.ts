import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRebuild, stateKeys } from '@expo/service-kit';
import { redisUrl, startDedicatedKafka, waitForReadiness, type DedicatedKafka } from '@expo/testkit';
import { attendeeBody, recordsOf, setupRegistration } from '../helper.ts';

let kafka: DedicatedKafka;
let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  kafka = await startDedicatedKafka();
  reg = await setupRegistration('reg-outage', { KAFKA_BROKERS: kafka.brokers });
});
afterAll(async () => {
  await reg.close();
  await kafka.destroy();
});

const register = (body: object, key: string) => reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers: { 'idempotency-key': key } });

async function attendeeIdsOnTopic(email: string): Promise<string[]> {
  const records = await recordsOf(reg.topics.attendees, kafka.brokers);
  return [...new Set(records.flatMap((r) => (r.event?.data.email === email ? [r.event.data.attendeeId] : [])))];
}

describe('registering while Kafka is down', () => {
  it('answers 503 with Retry-After within 2 s, keeps the registration, and the retry ends with it once Kafka is back', async () => {
    const body = attendeeBody();
    const key = `k-${reg.names.suffix}`;
    await kafka.stop();
    const started = Date.now();
    const down = await register(body, key);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });

    await kafka.restart();
    // Kafka's answer was unknown (no connection is not a refusal): the email stays reserved and
    // the registration in the outbox, so the retry with the same key ends with that attendee.
    await expect.poll(async () => (await register(body, key)).statusCode, { timeout: 30_000, interval: 500 }).toBe(201);
    const { attendeeId } = (await register(body, key)).json<{ attendeeId: string }>();
    expect(await attendeeIdsOnTopic(body.email)).toEqual([attendeeId]);
  }, 180_000);

  it('a rebuild meanwhile keeps the unconfirmed registration: still one attendee, the retry ends with it', async () => {
    const body = attendeeBody();
    const key = `rebuilt-${reg.names.suffix}`;
    await kafka.stop();
    expect((await register(body, key)).statusCode).toBe(503);
    expect(await reg.app.registration.store.outbox.size()).toBe(1);
    // The rebuild folds the log once Kafka is back, while kafkajs may still be retrying the
    // write the producer gave up on: the registration must keep its email through it.
    await requestRebuild(redisUrl(), stateKeys(reg.names.expoId, 'reg'), 'registration');
    await waitForReadiness(reg.app, 503, 5000);
    await kafka.restart();
    await waitForReadiness(reg.app, 200, 60_000);

    const other = await register(body, `rebuilt-other-${reg.names.suffix}`);
    expect(other.statusCode).toBe(409);
    const attendeeId = other.json<{ error: { details: Array<{ attendeeId: string }> } }>().error.details[0]!.attendeeId;
    await expect.poll(async () => (await register(body, key)).statusCode, { timeout: 30_000, interval: 500 }).toBe(201);
    expect((await register(body, key)).json()).toMatchObject({ attendeeId });
    expect(await attendeeIdsOnTopic(body.email)).toEqual([attendeeId]);
  }, 180_000);
});
