import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meeting, ScheduleSessionResponse } from '@expo/schemas';
import { admin, bearer, eventually, meetingRecords, setupMatchmaking, type TestMatchmaking } from '../../helper.ts';

const at = (minute: number) => new Date(Date.parse('2024-11-06T09:00:00+08:00') + minute * 60_000).toISOString();
const slots = Array.from({ length: 4 }, (_, i) => ({ slotId: `s${i + 1}`, start: at(i * 30), end: at(i * 30 + 25) }));

let mm: TestMatchmaking;
beforeAll(async () => {
  mm = await setupMatchmaking('sessions');
});
afterAll(async () => mm?.close());

describe('matchmaking sessions', () => {
  it('places the accepted meetings into slots and tables, publishes them, and keeps a buyer’s day compact', async () => {
    const exhibitors = await Promise.all([
      mm.exhibitor({ country: 'FR', sectors: ['food'] }),
      mm.exhibitor({ country: 'BR', sectors: ['food'] }),
      mm.exhibitor({ country: 'KE', sectors: ['food'] }),
    ]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations`, headers: admin });
      expect(res.json<{ items: unknown[] }>().items).toHaveLength(3);
    });
    const session = await mm.app.inject({
      method: 'PUT', url: '/v1/sessions/food-1', headers: admin,
      payload: {
        name: 'Food and agriculture supply–demand session', slots,
        tables: [{ tableId: 'T1', languages: [] }, { tableId: 'T2', languages: ['zh', 'pt'] }],
        participants: [
          { participantId: buyerId, languages: ['zh'] },
          { participantId: exhibitors[1].exhibitor.exhibitorId, languages: ['pt'] },
          { participantId: exhibitors[2].exhibitor.exhibitorId, unavailable: [{ start: slots[0]!.start, end: slots[1]!.end }] },
        ],
      },
    });
    expect(session.statusCode).toBe(200);
    const ids: string[] = [];
    for (const { exhibitor, key } of exhibitors) {
      const created = await mm.app.inject({ method: 'POST', url: '/v1/meetings', headers: bearer(buyer.token), payload: { buyerId, exhibitorId: exhibitor.exhibitorId, requestedBy: 'buyer', sessionId: 'food-1' } });
      expect(created.statusCode).toBe(201);
      const { meetingId } = created.json<{ meetingId: string }>();
      expect((await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: bearer(key) })).statusCode).toBe(200);
      ids.push(meetingId);
    }
    const draft = await mm.app.inject({ method: 'POST', url: '/v1/sessions/food-1/schedule', headers: admin });
    expect(draft.statusCode).toBe(200);
    const body = draft.json<ScheduleSessionResponse>();
    expect(body).toMatchObject({ sessionId: 'food-1', status: 'draft', scheduled: 3, unplaced: [], breaks: 0 });
    const byMeeting = new Map(body.placements!.map((p) => [p.meetingId, p]));
    expect(byMeeting.get(ids[1]!)!.tableId).toBe('T2');
    expect(Date.parse(byMeeting.get(ids[2]!)!.slot.start)).toBeGreaterThanOrEqual(Date.parse(slots[2]!.start));
    const starts = body.placements!.map((p) => Date.parse(p.slot.start)).sort((a, b) => a - b);
    expect(starts[2]! - starts[0]!).toBe(60 * 60_000);
    // A draft books nothing.
    expect((await mm.app.inject({ url: `/v1/meetings/${ids[0]}`, headers: admin })).json<Meeting>().status).toBe('accepted');

    const published = await mm.app.inject({ method: 'POST', url: '/v1/sessions/food-1/schedule/publish', headers: admin });
    expect(published.json()).toMatchObject({ status: 'published', scheduled: 3, unplaced: [] });
    const schedule = (await mm.app.inject({ url: `/v1/participants/${buyerId}/schedule`, headers: bearer(buyer.token) })).json<{ items: Meeting[] }>().items;
    expect(schedule.map((m) => m.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    expect(schedule.map((m) => m.slot!.start)).toEqual([...schedule.map((m) => m.slot!.start)].sort());
    expect(schedule.every((m) => m.sessionId === 'food-1' && m.tableId)).toBe(true);

    const held = await mm.app.inject({ method: 'POST', url: `/v1/meetings/${ids[0]}/outcome`, headers: bearer(exhibitors[0].key), payload: { held: true, intendedDealUsd: 250000 } });
    expect(held.json()).toMatchObject({ status: 'held', intendedDealUsd: 250000 });
    await eventually(async () => {
      const types = (await meetingRecords(mm.topics.meetings)).filter((r) => r.data.meetingId === ids[0]).map((r) => r.type);
      expect(types).toEqual(['meeting.requested', 'meeting.accepted', 'meeting.scheduled', 'meeting.held']);
    });
  });

  it('documents its routes, the contract’s names included, in the OpenAPI document', async () => {
    const doc = (await mm.app.inject('/openapi.json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/buyers/{buyerId}/recommendations', '/v1/exhibitors/{exhibitorId}/recommendations', '/v1/buyers/{buyerId}/requirements',
        '/v1/buyers/{buyerId}/requirements/{requirementId}', '/v1/preferences', '/v1/meetings', '/v1/meetings/{meetingId}/accept',
        '/v1/meetings/{meetingId}/decline', '/v1/meetings/{meetingId}/cancel', '/v1/meetings/{meetingId}/outcome',
        '/v1/sessions/{sessionId}/schedule', '/v1/participants/{id}/schedule',
      ]),
    );
  });

  it('rejects an inconsistent session with 400 and details, and an unknown one with 404', async () => {
    const bad = await mm.app.inject({
      method: 'PUT', url: '/v1/sessions/bad', headers: admin,
      payload: { slots: [slots[0], { ...slots[1], slotId: 's1' }], tables: [{ tableId: 'T1', languages: ['Chinese'] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', details: [expect.objectContaining({ path: 'body.tables.0.languages.0' })] } });
    const twice = await mm.app.inject({ method: 'PUT', url: '/v1/sessions/bad', headers: admin, payload: { slots: [slots[0], { ...slots[1], slotId: 's1' }], tables: [{ tableId: 'T1' }] } });
    expect(twice.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'body.slots', message: 'slot s1 is listed twice' }] } });
    expect((await mm.app.inject({ method: 'POST', url: '/v1/sessions/none/schedule', headers: admin })).statusCode).toBe(404);
    expect((await mm.app.inject({ method: 'POST', url: '/v1/sessions/none/schedule', headers: { authorization: 'Bearer test-ops-token-0123456789ab' } })).statusCode).toBe(403);
  });
});
