import { DedicatedRedis, crashTheRebuilder, failOverToOlderCopy, flushAll, waitForReadiness } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, eventually, meetingRecords, setupMatchmaking, type TestMatchmaking } from './helper.ts';

// Redis is a cache of the meetings topic: whatever happens to it, both instances answer 503 (never
// "no meetings, every slot free") until it is whole again; then the held slot is held as before.
let redis: DedicatedRedis;
beforeAll(async () => {
  redis = await DedicatedRedis.start();
}, 60_000);
afterAll(() => redis.close());

let closeAll: (() => Promise<void>) | undefined;
afterEach(async () => closeAll?.());

const SLOT = { start: '2024-11-07T10:00:00+08:00', end: '2024-11-07T10:30:00+08:00' };

interface Seeded {
  readonly mm: TestMatchmaking;
  readonly one: ServiceApp;
  readonly two: ServiceApp;
  readonly meetingId: string;
  readonly buyer: { id: string; token: string };
  readonly other: string;
}

async function seeded(label: string): Promise<Seeded> {
  const mm = await setupMatchmaking(label, { REDIS_URL: redis.url });
  closeAll = () => mm.close();
  const two = await mm.instance();
  const [e1, e2] = await Promise.all([mm.exhibitor(), mm.exhibitor()]);
  const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
  const buyerId = buyer.attendee.attendeeId;
  for (const app of [mm.app, two]) {
    await eventually(async () =>
      expect((await app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin })).json<{ items: unknown[] }>().items).toHaveLength(2),
    );
  }
  const created = await mm.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: bearer(buyer.token),
    payload: { buyerId, exhibitorId: e1.exhibitor.exhibitorId, requestedBy: 'buyer', preferredSlots: [SLOT] },
  });
  expect(created.statusCode).toBe(201);
  const { meetingId } = created.json<{ meetingId: string }>();
  expect((await two.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: bearer(e1.key) })).statusCode).toBe(200);
  await eventually(async () => expect(await meetingRecords(mm.topics.meetings)).toHaveLength(2));
  return { mm, one: mm.app, two, meetingId, buyer: { id: buyerId, token: buyer.token }, other: e2.exhibitor.exhibitorId };
}

const meeting = async (app: ServiceApp, s: Seeded) => app.inject({ url: `/v1/meetings/${s.meetingId}`, headers: admin });
const bookHeldSlot = (app: ServiceApp, s: Seeded) =>
  app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: bearer(s.buyer.token),
    payload: { buyerId: s.buyer.id, exhibitorId: s.other, requestedBy: 'buyer', preferredSlots: [SLOT] },
  });

async function expectFenced(s: Seeded): Promise<void> {
  for (const app of [s.one, s.two]) {
    expect(await waitForReadiness(app, 503, 5000)).toBeLessThan(5000);
    const res = await meeting(app, s);
    if (res.statusCode === 200) continue; // already rebuilt by the other instance
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
  }
}

async function expectHealed(s: Seeded, before: unknown): Promise<void> {
  for (const app of [s.one, s.two]) {
    await waitForReadiness(app, 200);
    expect((await meeting(app, s)).json()).toEqual(before);
    const clash = await bookHeldSlot(app, s);
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ error: { details: [{ reason: 'double_booked' }] } });
  }
}

describe('matchmaking state lifecycle', () => {
  it('FLUSHALL: fenced within 5 s, rebuilt, the meeting as before and its slot still held', async () => {
    const s = await seeded('mm-state-flush');
    const before = (await meeting(s.one, s)).json<unknown>();
    await flushAll(redis);
    // Before any probe: the booking script refuses to write into the emptied Redis.
    expect((await bookHeldSlot(s.two, s)).statusCode).toBe(503);
    await expectFenced(s);
    await expectHealed(s, before);
  }, 90_000);

  it('a cancellation that arrives while the state is lost waits for it, then cancels the meeting', async () => {
    const s = await seeded('mm-state-cancel');
    await flushAll(redis);
    // The attendee cancels at once: a consumer acting on the emptied Redis would find no meeting
    // to cancel and commit past the record, and the rebuilt state would keep the meeting.
    await s.mm.attendee({ attendeeId: s.buyer.id, category: 'buyer', interests: ['food'], status: 'cancelled' });
    for (const app of [s.one, s.two]) {
      await waitForReadiness(app, 200);
      await eventually(async () => expect((await meeting(app, s)).json()).toMatchObject({ status: 'cancelled' }));
    }
  }, 90_000);

  it('Redis restarted empty on the same port: the same', async () => {
    const s = await seeded('mm-state-restart');
    const before = (await meeting(s.one, s)).json<unknown>();
    await redis.restart();
    await expectFenced(s);
    await expectHealed(s, before);
  }, 90_000);

  it('failover to a copy that missed a cancellation: detected as stale, rebuilt equal to the log', async () => {
    const s = await seeded('mm-state-stale');
    await failOverToOlderCopy(redis, async () => {
      const res = await s.one.inject({ method: 'POST', url: `/v1/meetings/${s.meetingId}/cancel`, headers: bearer(s.buyer.token) });
      expect(res.statusCode).toBe(200);
      await eventually(async () => expect(await meetingRecords(s.mm.topics.meetings)).toHaveLength(3));
    });
    await expectFenced(s);
    for (const app of [s.one, s.two]) {
      await waitForReadiness(app, 200);
      // The copy still held the slot for the cancelled meeting; the log frees it.
      expect((await meeting(app, s)).json()).toMatchObject({ status: 'cancelled' });
    }
    expect((await bookHeldSlot(s.one, s)).statusCode).toBe(201);
  }, 90_000);

  it('the instance holding the rebuild lease dies mid-rebuild: the other takes over and finishes', async () => {
    const s = await seeded('mm-state-takeover');
    const before = (await meeting(s.one, s)).json<unknown>();
    await flushAll(redis);
    const survivor = await crashTheRebuilder([s.one, s.two]);
    await waitForReadiness(survivor, 200);
    expect((await meeting(survivor, s)).json()).toEqual(before);
  }, 90_000);
});
