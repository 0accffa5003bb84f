import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, readTopicToEnd } from '@expo/bus';
import type { MatchmakingSession, Meeting, ScheduleSessionResponse } from '@expo/schemas';
import { kafkaBrokers } from '@expo/testkit';
import { matchmakingKeys } from '../../../src/store/keys.ts';
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
      method: 'PUT',
      url: '/v1/sessions/food-1',
      headers: admin,
      payload: {
        name: 'Food and agriculture supply–demand session',
        slots,
        tables: [
          { tableId: 'T1', languages: [] },
          { tableId: 'T2', languages: ['zh', 'pt'] },
        ],
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
      const created = await mm.app.inject({
        method: 'POST',
        url: '/v1/meetings',
        headers: bearer(buyer.token),
        payload: { buyerId, exhibitorId: exhibitor.exhibitorId, requestedBy: 'buyer', sessionId: 'food-1' },
      });
      expect(created.statusCode).toBe(201);
      const { meetingId } = created.json<{ meetingId: string }>();
      expect((await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: bearer(key) })).statusCode).toBe(200);
      ids.push(meetingId);
    }
    const draft = await mm.app.inject({ method: 'POST', url: '/v1/sessions/food-1/schedule', headers: admin });
    expect(draft.statusCode).toBe(200);
    const body = draft.json<ScheduleSessionResponse>();
    // One buyer meeting three exhibitors in four slots: no breaks, which is provably the best.
    expect(body).toMatchObject({ sessionId: 'food-1', status: 'draft', scheduled: 3, unplaced: [], breaks: 0, lowerBound: 0, gap: 0, provenOptimal: true });
    const byMeeting = new Map(body.placements!.map((p) => [p.meetingId, p]));
    expect(byMeeting.get(ids[1]!)!.tableId).toBe('T2');
    expect(Date.parse(byMeeting.get(ids[2]!)!.slot.start)).toBeGreaterThanOrEqual(Date.parse(slots[2]!.start));
    const starts = body.placements!.map((p) => Date.parse(p.slot.start)).sort((a, b) => a - b);
    expect(starts[2]! - starts[0]!).toBe(60 * 60_000);
    // A draft books nothing.
    expect((await mm.app.inject({ url: `/v1/meetings/${ids[0]}`, headers: admin })).json<Meeting>().status).toBe('accepted');

    const published = await mm.app.inject({ method: 'POST', url: '/v1/sessions/food-1/schedule/publish', headers: admin });
    expect(published.json()).toMatchObject({
      status: 'published',
      scheduled: 3,
      planned: 3,
      unplaced: [],
      breaks: 0,
      lowerBound: 0,
      gap: 0,
      provenOptimal: true,
    });
    // The draft is gone; the session keeps the published schedule's figures.
    expect((await mm.app.inject({ url: '/v1/sessions/food-1', headers: admin })).json<MatchmakingSession>().schedule).toEqual({
      publishedAt: expect.any(String),
      scheduled: 3,
      planned: 3,
      totalScore: published.json<ScheduleSessionResponse>().totalScore,
      breaks: 0,
      lowerBound: 0,
      gap: 0,
      provenOptimal: true,
    });
    const schedule = (await mm.app.inject({ url: `/v1/participants/${buyerId}/schedule`, headers: bearer(buyer.token) })).json<{ items: Meeting[] }>().items;
    expect(schedule.map((m) => m.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    expect(schedule.map((m) => m.slot!.start)).toEqual([...schedule.map((m) => m.slot!.start)].sort());
    expect(schedule.every((m) => m.sessionId === 'food-1' && m.tableId)).toBe(true);

    const held = await mm.app.inject({
      method: 'POST',
      url: `/v1/meetings/${ids[0]}/outcome`,
      headers: bearer(exhibitors[0].key),
      payload: { held: true, intendedDealUsd: 250000 },
    });
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
        '/v1/buyers/{buyerId}/recommendations',
        '/v1/exhibitors/{exhibitorId}/recommendations',
        '/v1/buyers/{buyerId}/requirements',
        '/v1/buyers/{buyerId}/requirements/{requirementId}',
        '/v1/preferences',
        '/v1/meetings',
        '/v1/meetings/{meetingId}/accept',
        '/v1/meetings/{meetingId}/decline',
        '/v1/meetings/{meetingId}/cancel',
        '/v1/meetings/{meetingId}/outcome',
        '/v1/sessions/{sessionId}/schedule',
        '/v1/participants/{id}/schedule',
      ]),
    );
  });

  it('rejects an inconsistent session with 400 and details, and an unknown one with 404', async () => {
    const bad = await mm.app.inject({
      method: 'PUT',
      url: '/v1/sessions/bad',
      headers: admin,
      payload: { slots: [slots[0], { ...slots[1], slotId: 's1' }], tables: [{ tableId: 'T1', languages: ['Chinese'] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', details: [expect.objectContaining({ path: 'body.tables.0.languages.0' })] } });
    const twice = await mm.app.inject({
      method: 'PUT',
      url: '/v1/sessions/bad',
      headers: admin,
      payload: { slots: [slots[0], { ...slots[1], slotId: 's1' }], tables: [{ tableId: 'T1' }] },
    });
    expect(twice.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'body.slots', message: 'slot s1 is listed twice' }] } });
    expect((await mm.app.inject({ method: 'POST', url: '/v1/sessions/none/schedule', headers: admin })).statusCode).toBe(404);
    expect(
      (await mm.app.inject({ method: 'POST', url: '/v1/sessions/none/schedule', headers: { authorization: 'Bearer test-ops-token-0123456789ab' } })).statusCode,
    ).toBe(403);
  });
});

// Publishing a schedule books each placement atomically against every meeting and table hold
// there is then, whatever its start and length (issue 17, item 1).
describe('publishing never double books', () => {
  const on = (hhmm: string) => `2024-11-08T${hhmm}:00+08:00`;
  const between = (from: string, to: string) => ({ start: on(from), end: on(to) });

  async function parties(exhibitors: number, buyers: number) {
    const es = (await Promise.all(Array.from({ length: exhibitors }, () => mm.exhibitor({ sectors: ['food'] })))).map((e) => e.exhibitor.exhibitorId);
    const bs = (await Promise.all(Array.from({ length: buyers }, () => mm.attendee({ category: 'buyer', interests: ['food'] })))).map(
      (b) => b.attendee.attendeeId,
    );
    await eventually(async () => {
      for (const buyerId of bs) {
        const items = (await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations?limit=100`, headers: admin })).json<{
          items: Array<{ exhibitorId: string }>;
        }>().items;
        expect(es.every((e) => items.some((i) => i.exhibitorId === e))).toBe(true);
      }
    });
    return { es, bs };
  }
  const defineSession = (sessionId: string, sessionSlots: Array<{ slotId: string; start: string; end: string }>) =>
    mm.app.inject({
      method: 'PUT',
      url: `/v1/sessions/${sessionId}`,
      headers: admin,
      payload: { slots: sessionSlots, tables: [{ tableId: 'T1', languages: [] }] },
    });
  async function accepted(buyerId: string, exhibitorId: string, extra: Record<string, unknown>): Promise<string> {
    const created = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: admin,
      payload: { buyerId, exhibitorId, requestedBy: 'organiser', ...extra },
    });
    expect(created.statusCode).toBe(201);
    const { meetingId } = created.json<{ meetingId: string }>();
    expect((await mm.app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/accept`, headers: admin })).statusCode).toBe(200);
    return meetingId;
  }
  const getMeeting = async (id: string) => (await mm.app.inject({ url: `/v1/meetings/${id}`, headers: admin })).json<Meeting>();
  const draft = async (sessionId: string) =>
    (await mm.app.inject({ method: 'POST', url: `/v1/sessions/${sessionId}/schedule`, headers: admin })).json<ScheduleSessionResponse>();
  const publish = async (sessionId: string) =>
    (await mm.app.inject({ method: 'POST', url: `/v1/sessions/${sessionId}/schedule/publish`, headers: admin })).json<ScheduleSessionResponse>();
  async function expectNoOverlap(participantId: string) {
    const items = (await mm.app.inject({ url: `/v1/participants/${participantId}/schedule`, headers: admin })).json<{ items: Meeting[] }>().items;
    const times = items.filter((m) => ['requested', 'accepted', 'scheduled'].includes(m.status) && m.slot).map((m) => m.slot!);
    times.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    for (let i = 1; i < times.length; i++) expect(Date.parse(times[i]!.start)).toBeGreaterThanOrEqual(Date.parse(times[i - 1]!.end));
  }

  it('a published schedule cannot overlap a meeting the buyer booked after the draft (10:00–10:30 against 10:15–10:45)', async () => {
    const {
      es: [e1, e2],
      bs: [b],
    } = await parties(2, 1);
    expect((await defineSession('ovl-publish', [{ slotId: 's1', ...between('10:00', '10:30') }])).statusCode).toBe(200);
    const placed = await accepted(b!, e1!, { sessionId: 'ovl-publish' });
    expect((await draft('ovl-publish')).placements).toEqual([{ meetingId: placed, slot: between('10:00', '10:30'), tableId: 'T1' }]);
    const other = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: admin,
      payload: { buyerId: b, exhibitorId: e2, requestedBy: 'organiser', preferredSlots: [between('10:15', '10:45')] },
    });
    expect(other.statusCode).toBe(201);
    const published = await publish('ovl-publish');
    expect(published).toMatchObject({ status: 'published', scheduled: 0, unplaced: [{ meetingId: placed }] });
    // The figures are those of the computed schedule (one placement), which could not be booked.
    expect(published).toMatchObject({ planned: 1, breaks: 0, lowerBound: 0, gap: 0, provenOptimal: true });
    expect(await getMeeting(placed)).toMatchObject({ status: 'accepted' });
    expect((await getMeeting(placed)).slot).toBeUndefined();
    await expectNoOverlap(b!);
  });

  it('the session keeps the published schedule’s breaks, bound and gap (the computed schedule’s, when a placement could not be booked): a later GET, a redefinition and its record show them', async () => {
    const {
      es: [e1, e2],
      bs: [b, b2],
    } = await parties(2, 2);
    const rounds = [
      { slotId: 's1', ...between('16:00', '16:30') },
      { slotId: 's2', ...between('16:30', '17:00') },
      { slotId: 's3', ...between('17:00', '17:30') },
    ];
    // The buyer is away in the middle round: meeting both exhibitors costs one break, the least possible.
    const definition = {
      slots: rounds,
      tables: [{ tableId: 'T1', languages: [] }],
      participants: [{ participantId: b, unavailable: [between('16:30', '17:00')] }],
    };
    expect((await mm.app.inject({ method: 'PUT', url: '/v1/sessions/quality', headers: admin, payload: definition })).statusCode).toBe(200);
    await accepted(b!, e1!, { sessionId: 'quality' });
    const lost = await accepted(b!, e2!, { sessionId: 'quality' });
    const drafted = await draft('quality');
    expect(drafted).toMatchObject({ scheduled: 2, breaks: 1, lowerBound: 1, gap: 0, provenOptimal: true });
    // After the draft, the second exhibitor books another buyer at the time drafted for it.
    const time = drafted.placements!.find((p) => p.meetingId === lost)!.slot;
    const other = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: admin,
      payload: { buyerId: b2, exhibitorId: e2, requestedBy: 'organiser', preferredSlots: [time] },
    });
    expect(other.statusCode).toBe(201);

    const draftKey = matchmakingKeys(mm.names.expoId).draft('quality');
    const stored = (await mm.app.redis.get(draftKey))!;
    const published = await publish('quality');
    const figures = { scheduled: 1, planned: 2, breaks: 1, lowerBound: 1, gap: 0, provenOptimal: true };
    expect(published).toMatchObject({ status: 'published', ...figures, unplaced: [{ meetingId: lost }] });
    const kept = { publishedAt: expect.any(String), totalScore: published.totalScore, ...figures };
    const session = async () => (await mm.app.inject({ url: '/v1/sessions/quality', headers: admin })).json<MatchmakingSession>();
    expect((await session()).schedule).toEqual(kept);
    // A retried publish (as after a failed write of the session's record) counts what the first booked.
    await mm.app.redis.set(draftKey, stored);
    expect(await publish('quality')).toMatchObject({ ...figures, totalScore: published.totalScore, unplaced: [{ meetingId: lost }] });
    expect((await session()).schedule).toEqual(kept);
    // The draft is gone: a second publish finds nothing, and the figures stay.
    expect((await mm.app.inject({ method: 'POST', url: '/v1/sessions/quality/schedule/publish', headers: admin })).statusCode).toBe(404);
    const redefined = await mm.app.inject({ method: 'PUT', url: '/v1/sessions/quality', headers: admin, payload: { ...definition, name: 'Renamed' } });
    expect(redefined.json<MatchmakingSession>()).toMatchObject({ name: 'Renamed', schedule: kept });
    expect(await session()).toMatchObject({ name: 'Renamed', schedule: kept });
    // The compacted topic's latest record of the session carries them: a rebuild restores them.
    const records: MatchmakingSession[] = [];
    await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'matchmaking-test' }), mm.topics.sessions, (record) => {
      if (record.kind === 'event' && record.event.data.sessionId === 'quality') records.push(record.event.data);
    });
    expect(records.map((r) => r.schedule)).toEqual([undefined, kept, kept, kept]);
  });

  it('the session scheduler cannot move a meeting into a slot overlapping another of the buyer’s meetings: it keeps its own slot', async () => {
    const {
      es: [e1, e2],
      bs: [b],
    } = await parties(2, 1);
    expect((await defineSession('ovl-move', [{ slotId: 's1', ...between('12:00', '12:30') }])).statusCode).toBe(200);
    const moved = await accepted(b!, e1!, { sessionId: 'ovl-move', preferredSlots: [between('09:00', '09:30')] });
    expect((await draft('ovl-move')).placements).toEqual([{ meetingId: moved, slot: between('12:00', '12:30'), tableId: 'T1' }]);
    const other = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: admin,
      payload: { buyerId: b, exhibitorId: e2, requestedBy: 'organiser', preferredSlots: [between('12:10', '12:40')] },
    });
    expect(other.statusCode).toBe(201);
    expect(await publish('ovl-move')).toMatchObject({ scheduled: 0, unplaced: [{ meetingId: moved }] });
    expect(await getMeeting(moved)).toMatchObject({ status: 'accepted', slot: between('09:00', '09:30') });
    await expectNoOverlap(b!);
    await expectNoOverlap(e1!);
  });

  it('a table never hosts two overlapping meetings, even after its session’s slots were moved', async () => {
    const {
      es: [e1, e2],
      bs: [b1, b2],
    } = await parties(2, 2);
    expect((await defineSession('ovl-table', [{ slotId: 's1', ...between('14:00', '14:30') }])).statusCode).toBe(200);
    const first = await accepted(b1!, e1!, { sessionId: 'ovl-table' });
    await draft('ovl-table');
    expect(await publish('ovl-table')).toMatchObject({ scheduled: 1 });
    expect(await getMeeting(first)).toMatchObject({ status: 'scheduled', tableId: 'T1', slot: between('14:00', '14:30') });
    // The organiser moves the round by a quarter of an hour; other parties, the same table.
    expect((await defineSession('ovl-table', [{ slotId: 's1', ...between('14:15', '14:45') }])).statusCode).toBe(200);
    const second = await accepted(b2!, e2!, { sessionId: 'ovl-table' });
    expect((await draft('ovl-table')).placements).toEqual([{ meetingId: second, slot: between('14:15', '14:45'), tableId: 'T1' }]);
    expect(await publish('ovl-table')).toMatchObject({ scheduled: 0, unplaced: [{ meetingId: second }] });
    expect(await getMeeting(second)).toMatchObject({ status: 'accepted' });
    expect((await getMeeting(second)).tableId).toBeUndefined();
  });

  it('refuses a session whose slots overlap with 400 and changes nothing', async () => {
    const bad = await defineSession('ovl-bad', [
      { slotId: 's1', ...between('10:00', '10:30') },
      { slotId: 's2', ...between('10:15', '10:45') },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'body.slots', message: 'slots s1 and s2 overlap' }] } });
    expect((await mm.app.inject({ url: '/v1/sessions/ovl-bad', headers: admin })).statusCode).toBe(404);
    const backToBack = await defineSession('ovl-good', [
      { slotId: 's1', ...between('10:00', '10:30') },
      { slotId: 's2', ...between('10:30', '11:00') },
    ]);
    expect(backToBack.statusCode).toBe(200);
  });
});
