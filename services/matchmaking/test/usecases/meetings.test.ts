import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '@expo/schemas';
import { admin, eventually, setupMatchmaking, type TestMatchmaking } from '../helper.ts';

const slot = (hour: number) => ({ start: `2024-11-07T${String(hour).padStart(2, '0')}:00:00+08:00`, end: `2024-11-07T${String(hour).padStart(2, '0')}:30:00+08:00` });

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
  it('answers 503 and leaves no meeting change behind: no request kept, no slot held, no answer applied; all works again once Kafka is back', async () => {
    const exhibitors = await Promise.all([mm.exhibitor({ sectors: ['food'] }), mm.exhibitor({ sectors: ['food'] })]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/buyers/${buyer.attendee.attendeeId}/recommendations`, headers: admin });
      expect(res.json<{ items: unknown[] }>().items).toHaveLength(2);
    });
    const ask = (exhibitorId: string, hour: number) =>
      mm.app.inject({ method: 'POST', url: '/v1/meetings', headers: admin, payload: { buyerId: buyer.attendee.attendeeId, exhibitorId, requestedBy: 'organiser', preferredSlots: [slot(hour)] } });
    const first = await ask(exhibitors[0].exhibitor.exhibitorId, 10);
    expect(first.statusCode).toBe(201);
    const meetingId = first.json<Meeting>().meetingId;

    await kafka.stop();
    const refused = await ask(exhibitors[1].exhibitor.exhibitorId, 11);
    expect(refused.statusCode).toBe(503);
    // The refused request left no trace: the buyer's schedule holds the first meeting only.
    const schedule = await mm.app.inject({ url: `/v1/participants/${buyer.attendee.attendeeId}/schedule`, headers: admin });
    expect(schedule.json<{ items: Meeting[] }>().items.map((m) => m.meetingId)).toEqual([meetingId]);
    const accept = await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: admin });
    expect(accept.statusCode).toBe(503);
    expect((await mm.app.inject({ url: `/v1/meetings/${meetingId}`, headers: admin })).json<Meeting>().status).toBe('requested');

    await kafka.restart();
    let again = await ask(exhibitors[1].exhibitor.exhibitorId, 11);
    const deadline = Date.now() + 60_000;
    while (again.statusCode === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      again = await ask(exhibitors[1].exhibitor.exhibitorId, 11);
    }
    // The refused request held neither the slot nor the pair: the same request now succeeds.
    expect(again.statusCode).toBe(201);
    const accepted = await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: admin });
    expect(accepted.json<Meeting>().status).toBe('accepted');
  }, 180_000);
});
