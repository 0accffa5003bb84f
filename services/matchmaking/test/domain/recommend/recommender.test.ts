import { describe, expect, it } from 'vitest';
import type { PurchaseRequirement } from '@expo/schemas';
import { generateProfiles } from '../../../bench/generate-profiles.ts';
import { attendeeBuyer, exhibitorProfile } from '../../../src/domain/recommend/profiles.ts';
import { Recommender } from '../../../src/domain/recommend/recommender.ts';
import { DEFAULT_WEIGHTS } from '../../../src/domain/recommend/scoring.ts';

function built() {
  const data = generateProfiles({ exhibitors: 120, productsPerExhibitor: 4, buyers: 200, requirements: 150, seed: 9 }, 'unit');
  const recommender = new Recommender(DEFAULT_WEIGHTS);
  for (const e of data.exhibitors) recommender.setExhibitor(exhibitorProfile(e));
  for (const a of data.buyers) recommender.setBuyer(attendeeBuyer(a)!);
  const byBuyer = new Map<string, PurchaseRequirement[]>();
  data.requirements.forEach((r, i) =>
    byBuyer.set(r.buyerId, [...(byBuyer.get(r.buyerId) ?? []), { ...r.body, requirementId: `r${i}`, buyerId: r.buyerId, createdAt: '2024-10-01T00:00:00Z' }]),
  );
  for (const [buyerId, list] of byBuyer) recommender.setRequirements(buyerId, list);
  return { data, recommender };
}

describe('Recommender', () => {
  const { data, recommender } = built();

  it('returns exactly the best pairs a brute-force scoring of every pair finds, each score the sum of its reasons', () => {
    for (const buyer of data.buyers.slice(0, 25)) {
      const fast = recommender.forBuyer(buyer.attendeeId, 10);
      const brute = data.exhibitors
        .map((e) => ({ exhibitorId: e.exhibitorId, ...recommender.score(buyer.attendeeId, e.exhibitorId) }))
        .filter((i) => typeof i.score === 'number')
        .sort((a, b) => b.score! - a.score!)
        .slice(0, 10);
      expect(fast.map((i) => i.score)).toEqual(brute.map((i) => i.score));
      for (const item of fast)
        expect(item.score).toBeCloseTo(
          item.reasons.reduce((s, r) => s + r.points, 0),
          6,
        );
    }
    for (const exhibitor of data.exhibitors.slice(0, 15)) {
      const fast = recommender.forExhibitor(exhibitor.exhibitorId, 10);
      const brute = data.buyers
        .map((b) => recommender.score(b.attendeeId, exhibitor.exhibitorId)?.score)
        .filter((s): s is number => s !== undefined)
        .sort((a, b) => b - a)
        .slice(0, 10);
      expect(fast.map((i) => i.score)).toEqual(brute);
    }
  });

  it('updates incrementally: a new requirement, a lead, a "no", a cancelled buyer', () => {
    const buyerId = data.buyers[0]!.attendeeId;
    const exhibitor = data.exhibitors[0]!;
    const before = recommender.score(buyerId, exhibitor.exhibitorId)?.score ?? 0;
    recommender.setRequirements(buyerId, [
      { requirementId: 'x', buyerId, createdAt: '2024-10-01T00:00:00Z', sectors: [exhibitor.sectors[0]!], keywords: [exhibitor.products[0]!.name] },
    ]);
    const after = recommender.score(buyerId, exhibitor.exhibitorId)!;
    expect(after.score).toBeGreaterThan(before);
    expect(after.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['sector_category', 'keyword']));
    expect(recommender.forBuyer(buyerId, 3)[0]!.exhibitorId).toBe(exhibitor.exhibitorId);
    recommender.addLead(exhibitor.exhibitorId, buyerId);
    expect(recommender.score(buyerId, exhibitor.exhibitorId)!.score).toBeCloseTo(after.score + DEFAULT_WEIGHTS.leadScanned, 6);
    recommender.setPreference(buyerId, exhibitor.exhibitorId, 'no');
    expect(recommender.forBuyer(buyerId, 50).map((i) => i.exhibitorId)).not.toContain(exhibitor.exhibitorId);
    expect(recommender.forExhibitor(exhibitor.exhibitorId, 500).map((i) => i.buyerId)).not.toContain(buyerId);
    recommender.removeBuyer(buyerId);
    expect(recommender.forBuyer(buyerId, 5)).toEqual([]);
    expect(recommender.forExhibitor(exhibitor.exhibitorId, 500).map((i) => i.buyerId)).not.toContain(buyerId);
  });

  it('adds hall_visited when the buyer (or a sub-group member) entered the exhibitor’s hall, in both lists and equal to brute force', () => {
    const { data, recommender } = built();
    const hall = data.exhibitors[0]!.hall;
    recommender.setZone({ zoneId: 'zone-a', name: `Hall ${hall}`, kind: 'hall' });
    recommender.setZone({ zoneId: hall, name: 'Forum', kind: 'forum_room' });
    const visitors = data.buyers.slice(0, 40).map((b) => b.attendeeId);
    const before = new Map(visitors.map((id) => [id, recommender.forBuyer(id, 10)]));
    // A forum room spelled like the hall is no hall visit.
    for (const id of visitors) recommender.addVisit(id, hall);
    for (const id of visitors) expect(recommender.forBuyer(id, 10)).toEqual(before.get(id));
    for (const id of visitors) recommender.addVisit(id, 'zone-a');
    let raised = 0;
    for (const id of visitors) {
      const fast = recommender.forBuyer(id, 10);
      const brute = data.exhibitors
        .map((e) => recommender.score(id, e.exhibitorId)?.score)
        .filter((s): s is number => s !== undefined)
        .sort((a, b) => b - a)
        .slice(0, 10);
      expect(fast.map((i) => i.score)).toEqual(brute);
      for (const item of fast) {
        expect(item.score).toBeCloseTo(
          item.reasons.reduce((s, r) => s + r.points, 0),
          6,
        );
        const inHall = data.exhibitors.find((e) => e.exhibitorId === item.exhibitorId)!.hall === hall;
        expect(item.reasons.some((r) => r.code === 'hall_visited')).toBe(inHall);
        if (inHall) raised++;
      }
    }
    expect(raised).toBeGreaterThan(0);
    for (const exhibitor of data.exhibitors.filter((e) => e.hall === hall).slice(0, 10)) {
      const fast = recommender.forExhibitor(exhibitor.exhibitorId, 10);
      const brute = data.buyers
        .map((b) => recommender.score(b.attendeeId, exhibitor.exhibitorId)?.score)
        .filter((s): s is number => s !== undefined)
        .sort((a, b) => b - a)
        .slice(0, 10);
      expect(fast.map((i) => i.score)).toEqual(brute);
      for (const item of fast) expect(item.reasons.some((r) => r.code === 'hall_visited')).toBe(visitors.includes(item.buyerId));
    }
    const pair = recommender.forBuyer(visitors[0]!, 50).find((i) => i.reasons.some((r) => r.code === 'hall_visited'));
    if (pair) expect(pair.reasons.find((r) => r.code === 'hall_visited')).toEqual({ code: 'hall_visited', points: DEFAULT_WEIGHTS.hallVisited, detail: hall });
    // A sub-group gets its member's visits.
    recommender.setBuyer({ buyerId: 'sg-1', kind: 'sub_group', interests: [...data.exhibitors[0]!.sectors], delegationId: 'd-1' });
    recommender.setMembership('member-1', 'sg-1');
    const plain = recommender.score('sg-1', data.exhibitors[0]!.exhibitorId)!;
    recommender.addVisit('member-1', 'zone-a');
    const visited = recommender.score('sg-1', data.exhibitors[0]!.exhibitorId)!;
    expect(visited.score).toBeCloseTo(plain.score + DEFAULT_WEIGHTS.hallVisited, 6);
    // A hall visit alone relates nothing.
    recommender.setBuyer({ buyerId: 'sg-2', kind: 'sub_group', interests: [], delegationId: 'd-1' });
    recommender.addVisit('sg-2', 'zone-a');
    expect(recommender.forBuyer('sg-2', 10)).toEqual([]);
  });
});
