import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusProducer, createKafka } from '@expo/bus';
import type { Meeting } from '@expo/schemas';
import type { ServiceApp } from '@expo/service-kit';
import { kafkaBrokers, keysMatching } from '@expo/testkit';
import { rebuildMeetings } from '../../src/usecases/rebuild.ts';
import { admin, bearer, eventually, meetingRecords, setupMatchmaking, type TestMatchmaking } from '../helper.ts';

let mm: TestMatchmaking;
beforeAll(async () => {
  // The outbox never writes here on its own: the rebuild alone settles or keeps its entries.
  mm = await setupMatchmaking('rebuild', { OUTBOX_GRACE_MS: '600000' });
});
afterAll(async () => mm?.close());

describe('rebuild from matchmaking.meetings.v1', () => {
  it('restores meetings, their slot holds and quotas when Redis lost them', async () => {
    const [e1, e2] = await Promise.all([mm.exhibitor(), mm.exhibitor()]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    await eventually(async () =>
      expect((await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin })).json<{ items: unknown[] }>().items).toHaveLength(2),
    );
    const slot = { start: '2024-11-07T10:00:00+08:00', end: '2024-11-07T10:30:00+08:00' };
    const created = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: bearer(buyer.token),
      payload: { buyerId, exhibitorId: e1.exhibitor.exhibitorId, requestedBy: 'buyer', preferredSlots: [slot] },
    });
    const { meetingId } = created.json<{ meetingId: string }>();
    await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: bearer(e1.key) });
    await eventually(async () => expect(await meetingRecords(mm.topics.meetings)).toHaveLength(2));

    const keys = await keysMatching(mm.app.redis, `{${mm.names.expoId}}:*`);
    await mm.app.redis.unlink(...keys.filter((k) => !k.includes(':mm:changes')));
    const fresh = await mm.instance();
    const restored = (await fresh.inject({ url: `/v1/meetings/${meetingId}`, headers: admin })).json<Meeting>();
    expect(restored).toMatchObject({ meetingId, status: 'accepted', slot: { start: slot.start } });
    const clash = await fresh.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: bearer(buyer.token),
      payload: { buyerId, exhibitorId: e2.exhibitor.exhibitorId, requestedBy: 'buyer', preferredSlots: [slot] },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ error: { details: [{ reason: 'double_booked' }] } });
    const again = await fresh.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: bearer(buyer.token),
      payload: { buyerId, exhibitorId: e1.exhibitor.exhibitorId, requestedBy: 'buyer' },
    });
    expect(again.json()).toMatchObject({ error: { details: [{ reason: 'duplicate', meetingId }] } });
  });

  it('restores requirements, preferences and sessions from their topics: what was withdrawn stays out, a "no" still removes the pair', async () => {
    const [e1, e2] = await Promise.all([mm.exhibitor(), mm.exhibitor()]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    // The expo also holds the first test's exhibitors: only these two are looked at.
    const mine = new Set([e1.exhibitor.exhibitorId, e2.exhibitor.exhibitorId]);
    const recommended = async (app = mm.app) =>
      (await app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin }))
        .json<{ items: Array<{ exhibitorId: string }> }>()
        .items.map((i) => i.exhibitorId)
        .filter((id) => mine.has(id));
    await eventually(async () => expect(await recommended()).toHaveLength(2));
    const post = (keywords: string[]) =>
      mm.app.inject({
        method: 'POST',
        url: `/v1/buyers/${buyerId}/requirements`,
        headers: bearer(buyer.token),
        payload: { sectors: ['food'], keywords, budgetBand: '1m_10m' },
      });
    const kept = (await post(['dairy'])).json<{ requirementId: string }>();
    const withdrawn = (await post(['wine'])).json<{ requirementId: string }>();
    expect(
      (await mm.app.inject({ method: 'DELETE', url: `/v1/buyers/${buyerId}/requirements/${withdrawn.requirementId}`, headers: bearer(buyer.token) }))
        .statusCode,
    ).toBe(204);
    const no = await mm.app.inject({
      method: 'PUT',
      url: '/v1/preferences',
      headers: bearer(e2.key),
      payload: { fromId: e2.exhibitor.exhibitorId, toId: buyerId, level: 'no' },
    });
    expect(no.statusCode).toBe(200);
    const slot = { slotId: 's1', start: '2024-11-07T10:00:00+08:00', end: '2024-11-07T10:30:00+08:00' };
    const session = await mm.app.inject({
      method: 'PUT',
      url: '/v1/sessions/rebuild-1',
      headers: admin,
      payload: { name: 'Dairy session', slots: [slot], tables: [{ tableId: 'T1', languages: ['zh'] }] },
    });
    expect(session.statusCode).toBe(200);
    const before = (await mm.app.inject({ url: `/v1/buyers/${buyerId}/requirements`, headers: admin })).json();
    expect(before).toMatchObject({ items: [{ requirementId: kept.requirementId, keywords: ['dairy'] }] });
    expect(await recommended()).toEqual([e1.exhibitor.exhibitorId]);

    const keys = await keysMatching(mm.app.redis, `{${mm.names.expoId}}:*`);
    await mm.app.redis.unlink(...keys.filter((k) => !k.includes(':mm:changes')));
    const fresh = await mm.instance();
    expect((await fresh.inject({ url: `/v1/buyers/${buyerId}/requirements`, headers: admin })).json()).toEqual(before);
    expect((await fresh.inject({ url: '/v1/sessions/rebuild-1', headers: admin })).json()).toEqual(session.json());
    await eventually(async () => expect(await recommended(fresh)).toEqual([e1.exhibitor.exhibitorId]));
  });
});

describe('rebuild with meetings in the outbox', () => {
  it('drops an entry whose record the log holds, and keeps (and restores) a meeting whose record has not landed', async () => {
    const [e1, e2] = await Promise.all([mm.exhibitor(), mm.exhibitor()]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    const mine = new Set([e1.exhibitor.exhibitorId, e2.exhibitor.exhibitorId]);
    await eventually(async () => {
      const items = (await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin })).json<{ items: Array<{ exhibitorId: string }> }>()
        .items;
      expect(items.filter((i) => mine.has(i.exhibitorId))).toHaveLength(2);
    });
    const deps = mm.app.matchmaking;
    const ask = (exhibitorId: string) =>
      mm.app.inject({ method: 'POST', url: '/v1/meetings', headers: admin, payload: { buyerId, exhibitorId, requestedBy: 'organiser' } });
    const landed = (await ask(e1.exhibitor.exhibitorId)).json<Meeting>();
    await eventually(async () => expect((await meetingRecords(mm.topics.meetings)).map((r) => r.data.meetingId)).toContain(landed.meetingId));
    // A meeting kept after a send whose outcome is unknown, whose record has not landed (yet).
    const now = new Date().toISOString();
    const pending: Meeting = {
      meetingId: randomUUID(),
      buyerId,
      exhibitorId: e2.exhibitor.exhibitorId,
      requestedBy: 'organiser',
      score: 0,
      status: 'requested',
      requestedAt: now,
      updatedAt: now,
    };
    expect((await deps.meetings.request(pending, null, { maxSent: 50, maxActive: 30, expiresAt: Date.now() + 3_600_000 }, [])).kind).toBe('ok');
    await deps.outbox.add([landed.meetingId, pending.meetingId], Date.now());

    const run = { checkpoint: async () => undefined, folded: () => undefined };
    await rebuildMeetings(deps, createKafka({ brokers: kafkaBrokers(), clientId: 'mm-rebuild-outbox' }), run);
    expect([...(await deps.outbox.all()).keys()]).toEqual([pending.meetingId]);
    expect((await mm.app.inject({ url: `/v1/meetings/${pending.meetingId}`, headers: admin })).json()).toMatchObject({
      meetingId: pending.meetingId,
      status: 'requested',
    });
    expect((await ask(e2.exhibitor.exhibitorId)).json()).toMatchObject({ error: { details: [{ reason: 'duplicate', meetingId: pending.meetingId }] } });
    expect((await ask(e1.exhibitor.exhibitorId)).json()).toMatchObject({ error: { details: [{ reason: 'duplicate', meetingId: landed.meetingId }] } });
  });
});

describe('rebuild from a log with overlapping meetings', () => {
  const on = (hhmm: string) => `2024-11-09T${hhmm}:00+08:00`;
  const between = (from: string, to: string) => ({ start: on(from), end: on(to) });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Loses the expo's Redis state and answers with an instance that rebuilt it from the log. */
  async function loseAndRebuild(): Promise<ServiceApp> {
    const keys = await keysMatching(mm.app.redis, `{${mm.names.expoId}}:*`);
    await mm.app.redis.unlink(...keys.filter((k) => !k.includes(':mm:changes')));
    return mm.instance();
  }

  it('keeps the first of two overlapping meetings and frees the later one’s time, so no participant or table is double booked', async () => {
    const exhibitors = (await Promise.all(Array.from({ length: 5 }, () => mm.exhibitor()))).map((e) => e.exhibitor.exhibitorId);
    const buyers = await Promise.all(Array.from({ length: 3 }, () => mm.attendee({ category: 'buyer', interests: ['food'] })));
    const [b1, b2, b3] = buyers.map((b) => b.attendee.attendeeId);
    const [e1, e2, e3, e4, e5] = exhibitors;
    await eventually(async () => {
      const items = (await mm.app.inject({ url: `/v1/buyers/${b1}/recommendations?limit=100`, headers: admin })).json<{
        items: Array<{ exhibitorId: string }>;
      }>().items;
      expect(items.some((i) => i.exhibitorId === e5)).toBe(true);
    });
    // Written straight to the topic, as a log from before the fix (or a race it lost) holds them:
    // each pair overlaps by a quarter of an hour with different starts; the first is logged first.
    const now = new Date().toISOString();
    const base = { requestedBy: 'organiser' as const, score: 10, requestedAt: now, updatedAt: now };
    const tag = randomUUID().slice(0, 8);
    const first: Meeting = { ...base, meetingId: `a-${tag}`, buyerId: b1!, exhibitorId: e1!, status: 'accepted', slot: between('10:00', '10:30') };
    const later: Meeting = { ...base, meetingId: `b-${tag}`, buyerId: b1!, exhibitorId: e2!, status: 'requested', slot: between('10:15', '10:45') };
    const seated: Meeting = {
      ...base,
      meetingId: `c-${tag}`,
      buyerId: b2!,
      exhibitorId: e3!,
      status: 'scheduled',
      sessionId: 'rb-ovl',
      tableId: 'T1',
      slot: between('11:00', '11:30'),
    };
    const unseated: Meeting = {
      ...base,
      meetingId: `d-${tag}`,
      buyerId: b3!,
      exhibitorId: e4!,
      status: 'scheduled',
      sessionId: 'rb-ovl',
      tableId: 'T1',
      slot: between('11:15', '11:45'),
    };
    const producer = new BusProducer(createKafka({ brokers: kafkaBrokers(), clientId: 'matchmaking-test' }), { source: 'matchmaking', sendTimeoutMs: 30_000 });
    try {
      for (const m of [first, seated, later, unseated]) {
        await producer.send(mm.topics.meetings, [{ type: `meeting.${m.status}`, eventId: mm.names.expoId, data: { ...m, changed: Object.keys(m) } } as never]);
        await sleep(20);
      }
    } finally {
      await producer.disconnect();
    }
    const recordsBefore = (await meetingRecords(mm.topics.meetings)).length;

    const check = async (app: ServiceApp) => {
      const get = async (id: string) => (await app.inject({ url: `/v1/meetings/${id}`, headers: admin })).json<Meeting>();
      expect(await get(first.meetingId)).toMatchObject({ status: 'accepted', slot: first.slot });
      expect(await get(seated.meetingId)).toMatchObject({ status: 'scheduled', tableId: 'T1', slot: seated.slot });
      const freed = await get(later.meetingId);
      expect(freed).toMatchObject({ status: 'requested', buyerId: b1, exhibitorId: e2 });
      expect(freed.slot).toBeUndefined();
      // A scheduled meeting that lost its table goes back to accepted: the session places it again.
      const unplaced = await get(unseated.meetingId);
      expect(unplaced).toMatchObject({ status: 'accepted', sessionId: 'rb-ovl' });
      expect(unplaced.slot).toBeUndefined();
      expect(unplaced.tableId).toBeUndefined();
      const schedule = (await app.inject({ url: `/v1/participants/${b1}/schedule`, headers: admin })).json<{ items: Meeting[] }>().items;
      expect(schedule.filter((m) => m.slot).map((m) => m.meetingId)).toEqual([first.meetingId]);
      // The kept meeting holds its time: an overlapping request is refused.
      const ask = (slot: { start: string; end: string }) =>
        app.inject({
          method: 'POST',
          url: '/v1/meetings',
          headers: admin,
          payload: { buyerId: b1, exhibitorId: e5, requestedBy: 'organiser', preferredSlots: [slot] },
        });
      expect((await ask(between('10:20', '10:50'))).json()).toMatchObject({ error: { details: [{ reason: 'double_booked' }] } });
    };
    const fresh = await loseAndRebuild();
    await check(fresh);
    // The resolution is logged: the later meetings' snapshots without their time, once each.
    const corrections = await eventually(async () => {
      const found = (await meetingRecords(mm.topics.meetings)).filter((r) => [later.meetingId, unseated.meetingId].includes(r.data.meetingId));
      expect(found).toHaveLength(4);
      return found;
    });
    expect(corrections.filter((r) => r.data.meetingId === later.meetingId).map((r) => [r.type, r.data.slot])).toEqual([
      ['meeting.requested', later.slot],
      ['meeting.requested', undefined],
    ]);
    expect(corrections.filter((r) => r.data.meetingId === unseated.meetingId).map((r) => r.type)).toEqual(['meeting.scheduled', 'meeting.accepted']);

    // Deterministic: a second rebuild from the log (corrections included) gives the same, and writes nothing new.
    const again = await loseAndRebuild();
    await check(again);
    expect(await meetingRecords(mm.topics.meetings)).toHaveLength(recordsBefore + 2);
  });
});
