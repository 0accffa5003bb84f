import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuyerRecommendationsResponse, ExhibitorRecommendationsResponse } from '@expo/schemas';
import { admin, bearer, eventually, product, setupMatchmaking, type TestMatchmaking } from '../../helper.ts';

let mm: TestMatchmaking;
let dairy: { exhibitorId: string; key: string };
let coffee: { exhibitorId: string; key: string };
let robots: { exhibitorId: string };
let buyer: { attendeeId: string; token: string };

async function recommendationsFor(buyerId: string, headers = admin) {
  const res = await mm.app.inject({ url: `/v1/buyers/${buyerId}/recommendations?limit=10`, headers });
  expect(res.statusCode).toBe(200);
  return res.json<BuyerRecommendationsResponse>().items;
}

beforeAll(async () => {
  mm = await setupMatchmaking('recommendations');
  const a = await mm.exhibitor({
    country: 'FR',
    sectors: ['food.dairy'],
    products: [product('Organic milk powder', { description: 'Infant formula milk powder from grass-fed cows', sectors: ['food.dairy'] })],
  });
  const b = await mm.exhibitor({
    country: 'ET',
    sectors: ['food.beverages_alcohol'],
    leastDevelopedCountry: true,
    africanProductsZone: true,
    products: [
      product('Arabica coffee beans', { nameLocal: '阿拉比卡咖啡豆', description: '埃塞俄比亚咖啡豆，手工采摘', sectors: ['food.beverages_alcohol'] }),
    ],
  });
  const c = await mm.exhibitor({ country: 'DE', sectors: ['tech.robotics'], products: [product('Industrial robot arm', { sectors: ['tech.robotics'] })] });
  dairy = { exhibitorId: a.exhibitor.exhibitorId, key: a.key };
  coffee = { exhibitorId: b.exhibitor.exhibitorId, key: b.key };
  robots = { exhibitorId: c.exhibitor.exhibitorId };
  const made = await mm.attendee({ category: 'buyer', interests: ['food'] });
  buyer = { attendeeId: made.attendee.attendeeId, token: made.token };
});

afterAll(async () => mm?.close());

describe('recommendations', () => {
  it('builds profiles from the registration topics and ranks by sector, then the organiser’s priorities', async () => {
    const items = await eventually(async () => {
      const found = await recommendationsFor(buyer.attendeeId);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(items.map((i) => i.exhibitorId)).toEqual([coffee.exhibitorId, dairy.exhibitorId]);
    expect(items.map((i) => i.exhibitorId)).not.toContain(robots.exhibitorId);
    expect(items[0]!.reasons.map((r) => r.code).sort()).toEqual(['african_products_zone', 'least_developed_country', 'sector_area']);
    expect(items[1]!.reasons).toEqual([{ code: 'sector_area', points: 10, detail: 'food' }]);
    for (const item of items)
      expect(item.score).toBeCloseTo(
        item.reasons.reduce((s, r) => s + r.points, 0),
        6,
      );
  });

  it('changes when the buyer posts a purchase requirement, with the keyword match explained (English and Chinese)', async () => {
    const posted = await mm.app.inject({
      method: 'POST',
      url: `/v1/buyers/${buyer.attendeeId}/requirements`,
      headers: bearer(buyer.token),
      payload: { sectors: ['food.dairy'], keywords: ['milk powder', '咖啡豆'], quantity: '20 t per month', originCountries: ['FR'] },
    });
    expect(posted.statusCode).toBe(201);
    const items = await recommendationsFor(buyer.attendeeId);
    expect(items[0]!.exhibitorId).toBe(dairy.exhibitorId);
    const codes = items[0]!.reasons.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['sector_category', 'keyword', 'origin_country']));
    expect(items[0]!.reasons.find((r) => r.code === 'keyword')).toMatchObject({ detail: 'milk powder' });
    expect(items[0]!.reasons.find((r) => r.code === 'sector_category')).toEqual({ code: 'sector_category', points: 30, detail: 'food.dairy' });
    const coffeeItem = items.find((i) => i.exhibitorId === coffee.exhibitorId)!;
    expect(coffeeItem.reasons.find((r) => r.code === 'keyword')).toMatchObject({ detail: '咖啡豆' });
    const list = await mm.app.inject({ url: `/v1/buyers/${buyer.attendeeId}/requirements`, headers: bearer(buyer.token) });
    expect(list.json<{ items: Array<{ quantity: string }> }>().items).toEqual([
      expect.objectContaining({ quantity: '20 t per month', buyerId: buyer.attendeeId }),
    ]);
  });

  it('shows the exhibitor its buyers, and a lead scan raises the pair', async () => {
    const before = await mm.app.inject({ url: `/v1/exhibitors/${coffee.exhibitorId}/recommendations`, headers: bearer(coffee.key) });
    expect(before.statusCode).toBe(200);
    const first = before.json<ExhibitorRecommendationsResponse>().items.find((i) => i.buyerId === buyer.attendeeId)!;
    await mm.lead(coffee.exhibitorId, buyer.attendeeId);
    const after = await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/exhibitors/${coffee.exhibitorId}/recommendations`, headers: bearer(coffee.key) });
      const item = res.json<ExhibitorRecommendationsResponse>().items.find((i) => i.buyerId === buyer.attendeeId)!;
      expect(item.reasons.map((r) => r.code)).toContain('lead_scanned');
      return item;
    });
    expect(after.score).toBeCloseTo(first.score + 20, 6);
  });

  it('a hall visit raises the pair: the buyer’s accepted scan into the exhibitor’s hall', async () => {
    const hallOf = (
      await mm.exhibitor({ country: 'IT', sectors: ['food.dairy'], hall: 'Hall 7.2', products: [product('Parmesan cheese', { sectors: ['food.dairy'] })] })
    ).exhibitor;
    const first = await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/exhibitors/${hallOf.exhibitorId}/recommendations`, headers: admin });
      const item = res.json<ExhibitorRecommendationsResponse>().items.find((i) => i.buyerId === buyer.attendeeId)!;
      expect(item).toBeDefined();
      return item;
    });
    expect(first.reasons.map((r) => r.code)).not.toContain('hall_visited');
    await mm.zone({ zoneId: `h72-${mm.names.expoId}`, name: '7.2', kind: 'hall' });
    await mm.enter(buyer.attendeeId, `h72-${mm.names.expoId}`);
    const after = await eventually(async () => {
      const res = await mm.app.inject({ url: `/v1/exhibitors/${hallOf.exhibitorId}/recommendations`, headers: admin });
      const item = res.json<ExhibitorRecommendationsResponse>().items.find((i) => i.buyerId === buyer.attendeeId)!;
      expect(item.reasons.map((r) => r.code)).toContain('hall_visited');
      return item;
    });
    expect(after.score).toBeCloseTo(first.score + 8, 6);
    expect(after.reasons.find((r) => r.code === 'hall_visited')).toEqual({ code: 'hall_visited', points: 8, detail: 'Hall 7.2' });
    expect(after.score).toBeCloseTo(
      after.reasons.reduce((s, r) => s + r.points, 0),
      6,
    );
    const mine = (await recommendationsFor(buyer.attendeeId)).find((i) => i.exhibitorId === hallOf.exhibitorId);
    expect(mine?.reasons.map((r) => r.code)).toContain('hall_visited');
    expect(mine?.score).toBeCloseTo(after.score, 6);
  });

  it('drops the pair everywhere after a "no" from either side: recommendations, its open meeting, new requests', async () => {
    const open = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: bearer(buyer.token),
      payload: { buyerId: buyer.attendeeId, exhibitorId: dairy.exhibitorId, requestedBy: 'buyer' },
    });
    expect(open.statusCode).toBe(201);
    const no = await mm.app.inject({
      method: 'PUT',
      url: '/v1/preferences',
      headers: bearer(dairy.key),
      payload: { fromId: dairy.exhibitorId, toId: buyer.attendeeId, level: 'no' },
    });
    expect(no.statusCode).toBe(200);
    expect((await recommendationsFor(buyer.attendeeId)).map((i) => i.exhibitorId)).not.toContain(dairy.exhibitorId);
    const cancelled = await mm.app.inject({ url: `/v1/meetings/${open.json<{ meetingId: string }>().meetingId}`, headers: admin });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const meeting = await mm.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: bearer(buyer.token),
      payload: { buyerId: buyer.attendeeId, exhibitorId: dairy.exhibitorId, requestedBy: 'buyer' },
    });
    expect(meeting.statusCode).toBe(409);
    expect(meeting.json()).toMatchObject({ error: { code: 'conflict', details: [{ reason: 'preference_no' }] } });
  });

  it('answers 400 with details, 403 for someone else’s list and 404 for an unknown buyer', async () => {
    const bad = await mm.app.inject({
      method: 'POST',
      url: `/v1/buyers/${buyer.attendeeId}/requirements`,
      headers: admin,
      payload: { sectors: ['food.caviar'], keywords: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', details: [expect.objectContaining({ path: 'body.sectors.0' })] } });
    const other = await mm.attendee({ category: 'buyer', interests: ['auto'] });
    expect((await mm.app.inject({ url: `/v1/buyers/${buyer.attendeeId}/recommendations`, headers: bearer(other.token) })).statusCode).toBe(403);
    expect((await mm.app.inject({ url: `/v1/exhibitors/${dairy.exhibitorId}/recommendations`, headers: bearer(coffee.key) })).statusCode).toBe(403);
    expect((await mm.app.inject({ url: '/v1/buyers/nobody/recommendations', headers: admin })).statusCode).toBe(404);
    expect((await mm.app.inject({ url: `/v1/buyers/${buyer.attendeeId}/recommendations` })).statusCode).toBe(401);
  });
});
