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

    const keys = await mm.app.redis.keys(`{${mm.names.expoId}}:mm:*`);
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
});
