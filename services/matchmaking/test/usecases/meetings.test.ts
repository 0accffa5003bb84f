import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '@expo/schemas';
import { admin, eventually, setupMatchmaking, type TestMatchmaking } from '../helper.ts';

const slot = (hour: number) => ({
  start: `2024-11-07T${String(hour).padStart(2, '0')}:00:00+08:00`,
  end: `2024-11-07T${String(hour).padStart(2, '0')}:30:00+08:00`,
});

let kafka: DedicatedKafka;
let mm: TestMatchmaking;

beforeAll(async () => {
  kafka = await startDedicatedKafka();
  mm = await setupMatchmaking('meetings-kafka-down', { KAFKA_BROKERS: kafka.brokers });
}, 180_000);
afterAll(async () => {
  await mm?.close();
  await kafka?.destroy();
});

describe('Kafka stopped', () => {
  it('answers 503 but keeps what may have been logged: the request and the answer stand, reach the log once Kafka is back, and a retry finds the request', async () => {
    const exhibitors = await Promise.all([mm.exhibitor({ sectors: ['food'] }), mm.exhibitor({ sectors: ['food'] })]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/buyers/${buyer.attendee.attendeeId}/recommendations`, headers: admin });
      expect(res.json<{ items: unknown[] }>().items).toHaveLength(2);
    });
    const ask = (exhibitorId: string, hour: number) =>
      mm.app.inject({
        method: 'POST',
        url: '/v1/meetings',
        headers: admin,
        payload: { buyerId: buyer.attendee.attendeeId, exhibitorId, requestedBy: 'organiser', preferredSlots: [slot(hour)] },
      });
    const first = await ask(exhibitors[0].exhibitor.exhibitorId, 10);
    expect(first.statusCode).toBe(201);
    const meetingId = first.json<Meeting>().meetingId;

    await kafka.stop();
    // A stopped broker is no definite refusal (kafkajs may have sent the request before it went):
    // the request stays, with its slot, and a retry of it finds it.
    const unknown = await ask(exhibitors[1].exhibitor.exhibitorId, 11);
    expect(unknown.statusCode).toBe(503);
    const retry = await ask(exhibitors[1].exhibitor.exhibitorId, 11);
    expect(retry.statusCode).toBe(409);
    const kept = retry.json<{ error: { details: Array<{ reason: string; meetingId: string }> } }>().error.details[0]!;
    expect(kept.reason).toBe('duplicate');
    const schedule = await mm.app.inject({ url: `/v1/participants/${buyer.attendee.attendeeId}/schedule`, headers: admin });
    expect(
      schedule
        .json<{ items: Meeting[] }>()
        .items.map((m) => m.meetingId)
        .sort(),
    ).toEqual([meetingId, kept.meetingId].sort());
    const accept = await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: admin });
    expect(accept.statusCode).toBe(503);
    expect((await mm.app.inject({ url: `/v1/meetings/${meetingId}`, headers: admin })).json<Meeting>().status).toBe('accepted');

    await kafka.restart();
    // The outbox writes both records once Kafka is back.
    await expect.poll(() => mm.app.matchmaking.outbox.size(), { timeout: 60_000, interval: 500 }).toBe(0);
    const declined = await mm.app.inject({ method: 'POST', url: `/v1/meetings/${kept.meetingId}/decline`, headers: admin });
    expect(declined.json<Meeting>().status).toBe('declined');
  }, 180_000);
});
