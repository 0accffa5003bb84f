import { createKafka } from '@expo/bus';
import type { ServiceApp } from '@expo/service-kit';
import { createPlatformTopics, kafkaBrokers, type TestNames } from '@expo/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { admin, bearer, eventually, meetingRecords, setupMatchmaking, type TestMatchmaking } from '../helper.ts';

let mm: TestMatchmaking | undefined;
afterEach(async () => {
  await mm?.close();
  mm = undefined;
});

const SLOT = { start: '2024-11-07T10:00:00+08:00', end: '2024-11-07T10:30:00+08:00' };
const kafka = () => createKafka({ brokers: kafkaBrokers(), clientId: 'mm-cancel-test' });

async function recordsIn(topic: string): Promise<number> {
  const client = kafka().admin();
  await client.connect();
  try {
    return (await client.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await client.disconnect();
  }
}

/**
 * The meetings topic unavailable while every other topic works (as a partition without a leader
 * would be): deleted, so the broker answers UNKNOWN_TOPIC_OR_PARTITION to every write, then
 * created again. The attendees topic and its dead-letter twin stay writable throughout.
 */
async function withoutTopic(names: TestNames, topic: string, during: () => Promise<void>): Promise<void> {
  const client = kafka().admin();
  await client.connect();
  try {
    await client.deleteTopics({ topics: [topic] });
    await expect
      .poll(async () => (await client.listTopics()).includes(topic), { timeout: 20_000, interval: 100, message: `${topic} was not deleted` })
      .toBe(false);
    await during();
  } finally {
    await client.disconnect();
    await createPlatformTopics(names, ['meetings'], { partitions: 2 });
  }
}

async function retries(app: ServiceApp): Promise<number> {
  const text = (await app.inject('/metrics')).body;
  return text
    .split('\n')
    .filter((l) => l.startsWith('bus_consumer_retries_total{') && l.includes('.cancellations"'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** A buyer's accepted meeting with an exhibitor: what a cancellation of the buyer must cancel. */
async function acceptedMeeting(t: TestMatchmaking): Promise<{ meetingId: string; buyerId: string }> {
  const exhibitor = await t.exhibitor();
  const buyer = await t.attendee({ category: 'buyer', interests: ['food'] });
  const buyerId = buyer.attendee.attendeeId;
  await eventually(async () =>
    expect((await t.app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin })).json<{ items: unknown[] }>().items).toHaveLength(1),
  );
  const created = await t.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: bearer(buyer.token),
    payload: { buyerId, exhibitorId: exhibitor.exhibitor.exhibitorId, requestedBy: 'buyer', preferredSlots: [SLOT] },
  });
  expect(created.statusCode).toBe(201);
  const { meetingId } = created.json<{ meetingId: string }>();
  expect((await t.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: bearer(exhibitor.key) })).statusCode).toBe(200);
  return { meetingId, buyerId };
}

describe('registration cancellations', () => {
  it('a Kafka blip during a cancellation (its meeting record refused) is retried until Kafka takes it, not dead-lettered and skipped', async () => {
    mm = await setupMatchmaking('mm-cancel-blip');
    const { meetingId, buyerId } = await acceptedMeeting(mm);

    await withoutTopic(mm.names, mm.topics.meetings.name, async () => {
      await mm!.attendee({ attendeeId: buyerId, category: 'buyer', interests: ['food'], status: 'cancelled' });
      // Long enough for the old policy: three attempts, the dead letter and a commit past it.
      await eventually(async () => expect(await retries(mm!.app)).toBeGreaterThanOrEqual(3), 20_000).catch(() => undefined);
      expect(await recordsIn(`${mm!.topics.attendees.name}.dlq`)).toBe(0);
    });
    await eventually(
      async () => expect((await mm!.app.inject({ url: `/v1/meetings/${meetingId}`, headers: admin })).json()).toMatchObject({ status: 'cancelled' }),
      30_000,
    );
    // The topic was created again empty: what it holds now is the cancellation the retry wrote.
    await eventually(
      async () => expect((await meetingRecords(mm!.topics.meetings)).map((r) => [r.data.meetingId, r.data.status])).toEqual([[meetingId, 'cancelled']]),
      30_000,
    );
    expect(await recordsIn(`${mm.topics.attendees.name}.dlq`)).toBe(0);
  }, 120_000);
});
