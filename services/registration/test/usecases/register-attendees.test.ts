import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import { attendeeBody, setupRegistration } from '../helper.ts';

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

describe('registering while Kafka is down', () => {
  it('answers 503 with Retry-After within 2 s, keeps nothing, and the same email registers once Kafka is back', async () => {
    const body = attendeeBody();
    await kafka.stop();
    const started = Date.now();
    const down = await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers: { 'idempotency-key': `k-${reg.names.suffix}` } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });

    await kafka.restart();
    // The email reservation and the Idempotency-Key were released: the retry registers.
    await expect
      .poll(async () => (await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers: { 'idempotency-key': `k-${reg.names.suffix}` } })).statusCode, { timeout: 30_000, interval: 500 })
      .toBe(201);
  }, 180_000);
});
