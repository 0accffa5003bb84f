import { metricValue, promtoolCheckMetrics } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, eventually, setupMatchmaking, type TestMatchmaking } from './helper.ts';

let mm: TestMatchmaking;
beforeAll(async () => {
  mm = await setupMatchmaking('metrics');
});
afterAll(async () => mm?.close());

const scrape = async () => (await mm.app.inject('/metrics')).body;

describe('matchmaking /metrics', () => {
  it('counts meeting transitions by status, times recommendations, and passes promtool', async () => {
    const [one, two] = await Promise.all([mm.exhibitor({ sectors: ['food'] }), mm.exhibitor({ sectors: ['food'] })]);
    const buyer = await mm.attendee({ category: 'buyer', interests: ['food'] });
    const buyerId = buyer.attendee.attendeeId;
    // Recommendations once the profiles are in: every answer is timed.
    await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations?limit=10`, headers: admin });
      expect(res.json<{ items: unknown[] }>().items).toHaveLength(2);
    });
    const before = metricValue(await scrape(), 'recommendations_duration_seconds_count')!;
    expect(before).toBeGreaterThanOrEqual(1);
    expect((await mm.app.inject({ url: `/v1/exhibitors/${one.exhibitor.exhibitorId}/recommendations`, headers: admin })).statusCode).toBe(200);
    expect(metricValue(await scrape(), 'recommendations_duration_seconds_count')).toBe(before + 1);

    const ask = (exhibitorId: string) =>
      mm.app.inject({ method: 'POST', url: '/v1/meetings', headers: bearer(buyer.token), payload: { buyerId, exhibitorId, requestedBy: 'buyer' } });
    const first = await ask(one.exhibitor.exhibitorId);
    const second = await ask(two.exhibitor.exhibitorId);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const answer = (meeting: typeof first, action: string, key: string) =>
      mm.app.inject({ method: 'POST', url: `/v1/meetings/${meeting.json<{ meetingId: string }>().meetingId}/${action}`, headers: bearer(key) });
    expect((await answer(first, 'accept', one.key)).statusCode).toBe(200);
    expect((await answer(second, 'decline', two.key)).statusCode).toBe(200);
    // Refused (already declined): no transition.
    expect((await answer(second, 'accept', two.key)).statusCode).toBe(409);

    const metrics = await scrape();
    expect(metricValue(metrics, 'meetings_total', { status: 'requested' })).toBe(2);
    expect(metricValue(metrics, 'meetings_total', { status: 'accepted' })).toBe(1);
    expect(metricValue(metrics, 'meetings_total', { status: 'declined' })).toBe(1);
    expect(metricValue(metrics, 'meetings_total', { status: 'cancelled' })).toBe(0);
    expect(metricValue(metrics, 'service_ready')).toBe(1);
    expect(await promtoolCheckMetrics(metrics)).toEqual({ exitCode: 0, problems: [] });
  }, 60_000);
});
