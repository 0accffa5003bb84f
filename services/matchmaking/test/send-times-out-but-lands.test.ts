import { execFileSync } from 'node:child_process';
import { createKafka, readTopicToEnd } from '@expo/bus';
import type { Meeting } from '@expo/schemas';
import type { ServiceApp } from '@expo/service-kit';
import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../src/domain/meetings/lifecycle.ts';
import { admin, eventually, setupMatchmaking, type TestMatchmaking } from './helper.ts';

// A produce request that times out is not a failed one: kafkajs has handed it to the broker, which
// may append it later. The broker's JVM is paused (SIGSTOP) for longer than the producer's 1.5 s
// send bound, so the request answers 503 while its record waits in the broker's socket and lands on
// SIGCONT. The meeting must stay one meeting: kept, and found by the client's retry.
let kafka: DedicatedKafka;
let mm: TestMatchmaking;
beforeAll(async () => {
  kafka = await startDedicatedKafka();
  mm = await setupMatchmaking('mm-lands', { KAFKA_BROKERS: kafka.brokers, OUTBOX_INTERVAL_MS: '200', OUTBOX_GRACE_MS: '1000' });
}, 180_000);
afterAll(async () => {
  await mm?.close();
  await kafka?.destroy();
});

/** A buyer and `count` exhibitors the service knows; the first request warms the producer up. */
async function parties(count: number) {
  const exhibitors = await Promise.all(Array.from({ length: count }, () => mm.exhibitor({ sectors: ['food'] })));
  const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
  await eventually(async () => {
    const res = await mm.app.inject({ url: `/v1/buyers/${buyer.attendee.attendeeId}/recommendations`, headers: admin });
    const known = res.json<{ items: Array<{ exhibitorId: string }> }>().items.map((i) => i.exhibitorId);
    expect(known).toEqual(expect.arrayContaining(exhibitors.map((e) => e.exhibitor.exhibitorId)));
  });
  return { buyerId: buyer.attendee.attendeeId, exhibitorIds: exhibitors.map((e) => e.exhibitor.exhibitorId) };
}

const ask = (buyerId: string, exhibitorId: string, app: ServiceApp = mm.app) =>
  app.inject({ method: 'POST', url: '/v1/meetings', headers: admin, payload: { buyerId, exhibitorId, requestedBy: 'organiser' } });

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

/** The latest snapshot per meeting of a pair on the meetings topic. */
async function meetingsOnTopic(buyerId: string, exhibitorId: string): Promise<Map<string, Meeting>> {
  const latest = new Map<string, Meeting>();
  await readTopicToEnd(createKafka({ brokers: kafka.brokers, clientId: 'mm-lands-reader' }), mm.topics.meetings, (record) => {
    if (record.kind !== 'event') return;
    const { changed: _changed, ...meeting } = record.event.data;
    if (meeting.buyerId === buyerId && meeting.exhibitorId === exhibitorId) latest.set(meeting.meetingId, meeting);
  });
  return latest;
}

const openIds = (latest: Map<string, Meeting>) => [...latest.values()].filter((m) => OPEN_STATUSES.includes(m.status)).map((m) => m.meetingId);
const duplicateOf = (res: { json(): unknown }) => (res.json() as { error: { details: Array<{ reason?: string; meetingId?: string }> } }).error.details[0];

describe('a meeting request whose send times out but lands', () => {
  it('answers 503, stays one open meeting on the log, and the retry answers 409 duplicate naming it', async () => {
    const { buyerId, exhibitorIds } = await parties(2);
    const [warm, target] = exhibitorIds as [string, string];
    expect((await ask(buyerId, warm)).statusCode).toBe(201);

    const first = await withBrokerPaused(async () => {
      const started = Date.now();
      const res = await ask(buyerId, target);
      expect(Date.now() - started).toBeLessThan(3000);
      return res;
    });
    expect(first.statusCode).toBe(503);

    const retry = await ask(buyerId, target);
    expect(retry.statusCode).toBe(409);
    const { reason, meetingId } = duplicateOf(retry)!;
    expect(reason).toBe('duplicate');
    await expect.poll(() => mm.app.matchmaking.outbox.size(), { timeout: 30_000, interval: 250 }).toBe(0);
    const again = await ask(buyerId, target);
    expect(again.statusCode).toBe(409);
    expect(duplicateOf(again)).toMatchObject({ reason: 'duplicate', meetingId });
    expect(openIds(await meetingsOnTopic(buyerId, target))).toEqual([meetingId]);
    const fetched = await mm.app.inject({ url: `/v1/meetings/${meetingId}`, headers: admin });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toMatchObject({ meetingId, buyerId, exhibitorId: target, status: 'requested' });
  }, 120_000);

  it('an answer whose send times out stays given, and its record reaches the log', async () => {
    const { buyerId, exhibitorIds } = await parties(1);
    const created = await ask(buyerId, exhibitorIds[0]!);
    expect(created.statusCode).toBe(201);
    const { meetingId } = created.json<Meeting>();
    const accept = await withBrokerPaused(() => mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: admin }));
    expect(accept.statusCode).toBe(503);
    expect((await mm.app.inject({ url: `/v1/meetings/${meetingId}`, headers: admin })).json<Meeting>().status).toBe('accepted');
    await expect.poll(() => mm.app.matchmaking.outbox.size(), { timeout: 30_000, interval: 250 }).toBe(0);
    expect((await meetingsOnTopic(buyerId, exhibitorIds[0]!)).get(meetingId)?.status).toBe('accepted');
  }, 120_000);
});

describe('a meeting request Kafka certainly refused', () => {
  it('is withdrawn: nothing queued, the pair free, the retry makes the one meeting', async () => {
    const { buyerId, exhibitorIds } = await parties(1);
    // A producer already closed (an instance shutting down) refuses before sending anything.
    const closing = await mm.instance();
    await closing.producer.disconnect();
    const refused = await ask(buyerId, exhibitorIds[0]!, closing);
    expect(refused.statusCode).toBe(503);
    expect(await mm.app.matchmaking.outbox.size()).toBe(0);

    const retried = await ask(buyerId, exhibitorIds[0]!);
    expect(retried.statusCode).toBe(201);
    const { meetingId } = retried.json<Meeting>();
    await eventually(async () => expect(openIds(await meetingsOnTopic(buyerId, exhibitorIds[0]!))).toEqual([meetingId]));
  }, 60_000);
});
