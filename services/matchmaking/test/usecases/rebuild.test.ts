import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting } from '@expo/schemas';
import { admin, bearer, eventually, meetingRecords, setupMatchmaking, type TestMatchmaking } from '../helper.ts';

let mm: TestMatchmaking;
beforeAll(async () => {
  mm = await setupMatchmaking('rebuild');
});
afterAll(async () => mm?.close());

describe('rebuild from matchmaking.meetings.v1', () => {
  it('restores meetings, their slot holds and quotas when Redis lost them', async () => {
    const [e1, e2] = await Promise.all([mm.exhibitor(), mm.exhibitor()]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    await eventually(async () => expect((await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin })).json<{ items: unknown[] }>().items).toHaveLength(2));
    const slot = { start: '2024-11-07T10:00:00+08:00', end: '2024-11-07T10:30:00+08:00' };
    const created = await mm.app.inject({ method: 'POST', url: '/v1/meetings', headers: bearer(buyer.token), payload: { buyerId, exhibitorId: e1.exhibitor.exhibitorId, requestedBy: 'buyer', preferredSlots: [slot] } });
    const { meetingId } = created.json<{ meetingId: string }>();
    await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: bearer(e1.key) });
    await eventually(async () => expect(await meetingRecords(mm.topics.meetings)).toHaveLength(2));

    const keys = await mm.app.redis.keys(`{${mm.names.expoId}}:*`);
    await mm.app.redis.unlink(...keys.filter((k) => !k.includes(':mm:changes')));
    const fresh = await mm.instance();
    const restored = (await fresh.inject({ url: `/v1/meetings/${meetingId}`, headers: admin })).json<Meeting>();
    expect(restored).toMatchObject({ meetingId, status: 'accepted', slot: { start: slot.start } });
    const clash = await fresh.inject({ method: 'POST', url: '/v1/meetings', headers: bearer(buyer.token), payload: { buyerId, exhibitorId: e2.exhibitor.exhibitorId, requestedBy: 'buyer', preferredSlots: [slot] } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ error: { details: [{ reason: 'double_booked' }] } });
    const again = await fresh.inject({ method: 'POST', url: '/v1/meetings', headers: bearer(buyer.token), payload: { buyerId, exhibitorId: e1.exhibitor.exhibitorId, requestedBy: 'buyer' } });
    expect(again.json()).toMatchObject({ error: { details: [{ reason: 'duplicate', meetingId }] } });
  });

  it('restores requirements, preferences and sessions from their topics: what was withdrawn stays out, a "no" still removes the pair', async () => {
    const [e1, e2] = await Promise.all([mm.exhibitor(), mm.exhibitor()]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    // The expo also holds the first test's exhibitors: only these two are looked at.
    const mine = new Set([e1.exhibitor.exhibitorId, e2.exhibitor.exhibitorId]);
    const recommended = async (app = mm.app) =>
      (await app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin })).json<{ items: Array<{ exhibitorId: string }> }>().items.map((i) => i.exhibitorId).filter((id) => mine.has(id));
    await eventually(async () => expect(await recommended()).toHaveLength(2));
    const post = (keywords: string[]) => mm.app.inject({ method: 'POST', url: `/v1/buyers/${buyerId}/requirements`, headers: bearer(buyer.token), payload: { sectors: ['food'], keywords, budgetBand: '1m_10m' } });
    const kept = (await post(['dairy'])).json<{ requirementId: string }>();
    const withdrawn = (await post(['wine'])).json<{ requirementId: string }>();
    expect((await mm.app.inject({ method: 'DELETE', url: `/v1/buyers/${buyerId}/requirements/${withdrawn.requirementId}`, headers: bearer(buyer.token) })).statusCode).toBe(204);
    const no = await mm.app.inject({ method: 'PUT', url: '/v1/preferences', headers: bearer(e2.key), payload: { fromId: e2.exhibitor.exhibitorId, toId: buyerId, level: 'no' } });
    expect(no.statusCode).toBe(200);
    const slot = { slotId: 's1', start: '2024-11-07T10:00:00+08:00', end: '2024-11-07T10:30:00+08:00' };
    const session = await mm.app.inject({ method: 'PUT', url: '/v1/sessions/rebuild-1', headers: admin, payload: { name: 'Dairy session', slots: [slot], tables: [{ tableId: 'T1', languages: ['zh'] }] } });
    expect(session.statusCode).toBe(200);
    const before = (await mm.app.inject({ url: `/v1/buyers/${buyerId}/requirements`, headers: admin })).json();
    expect(before).toMatchObject({ items: [{ requirementId: kept.requirementId, keywords: ['dairy'] }] });
    expect(await recommended()).toEqual([e1.exhibitor.exhibitorId]);

    const keys = await mm.app.redis.keys(`{${mm.names.expoId}}:*`);
    await mm.app.redis.unlink(...keys.filter((k) => !k.includes(':mm:changes')));
    const fresh = await mm.instance();
    expect((await fresh.inject({ url: `/v1/buyers/${buyerId}/requirements`, headers: admin })).json()).toEqual(before);
    expect((await fresh.inject({ url: '/v1/sessions/rebuild-1', headers: admin })).json()).toEqual(session.json());
    await eventually(async () => expect(await recommended(fresh)).toEqual([e1.exhibitor.exhibitorId]));
  });
});
