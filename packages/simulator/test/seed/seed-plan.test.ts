import { beforeAll, describe, expect, it } from 'vitest';
import { ATTENDEE_CATEGORY_CODES, isLeastDevelopedCountry, RegisterAttendeeBody } from '@expo/schemas';
import { planExpo, type SeedPlan } from '../../src/seed/seed-plan.ts';
import { CIIE_SIZE, DEMO_SIZE } from '../../src/seed/sizes.ts';

describe('the seed plan', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = planExpo(7, DEMO_SIZE);
    const b = planExpo(7, DEMO_SIZE);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(planExpo(8, DEMO_SIZE).attendees)).not.toBe(JSON.stringify(a.attendees));
  });

  it('makes a demo expo of every kind of participant, all registered publicly (with badge tokens)', () => {
    const plan = planExpo(1, DEMO_SIZE);
    expect(plan.exhibitors).toHaveLength(40);
    expect(plan.attendees).toHaveLength(300);
    expect(new Set(plan.attendees.map((a) => a.category))).toEqual(new Set(ATTENDEE_CATEGORY_CODES));
    expect(plan.attendees.every((a) => a.route === 'public')).toBe(true);
    expect(new Set(plan.attendees.map((a) => a.email)).size).toBe(300);
    for (const a of plan.attendees) {
      const { key: _k, route: _r, exhibitorKey: _e, delegationKey: _d, subGroupKey: _s, ...body } = a;
      expect(RegisterAttendeeBody.safeParse({ ...body, consent: true }).success).toBe(true);
    }
  });

  it('gives Chinese attendees a Latin and a Chinese name', () => {
    const chinese = planExpo(1, DEMO_SIZE).attendees.filter((a) => a.country === 'CN');
    expect(chinese.length).toBeGreaterThan(100);
    for (const a of chinese) {
      expect(a.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
      expect(a.nameLocal).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    }
  });

  describe('at CIIE size', () => {
    let plan: SeedPlan;
    beforeAll(() => {
      plan = planExpo(1, CIIE_SIZE);
    }, 120_000);

    it('has 3,496 exhibitors from 129 countries, 297 of them Fortune Global 500', () => {
      expect(plan.exhibitors).toHaveLength(3_496);
      expect(new Set(plan.exhibitors.map((e) => e.country)).size).toBe(129);
      expect(plan.exhibitors.filter((e) => e.fortuneGlobal500)).toHaveLength(297);
    });

    it('flags exactly the exhibitors from least-developed countries, and has product debuts', () => {
      const ldc = plan.exhibitors.filter((e) => e.leastDevelopedCountry);
      expect(ldc.length).toBeGreaterThan(20);
      expect(plan.exhibitors.every((e) => e.leastDevelopedCountry === isLeastDevelopedCountry(e.country, '2024-11-05'))).toBe(true);
      expect(plan.exhibitors.some((e) => e.africanProductsZone)).toBe(true);
      expect(plan.exhibitors.flatMap((e) => e.products).filter((p) => p.debut).length).toBeGreaterThan(100);
    });

    it('has 39 government and 4 industry delegations with 780 sub-groups and their purchase requirements', () => {
      expect(plan.delegations.filter((d) => d.kind === 'government')).toHaveLength(39);
      expect(plan.delegations.filter((d) => d.kind === 'industry')).toHaveLength(4);
      const groups = plan.delegations.flatMap((d) => d.subGroups);
      expect(groups).toHaveLength(780);
      expect(groups.every((g) => g.requirements.length === CIIE_SIZE.requirementsPerSubGroup)).toBe(true);
    });

    it('has 430,000 attendees, mostly Chinese, with a badge token holder in every sub-group', () => {
      expect(plan.attendees).toHaveLength(430_000);
      const chinese = plan.attendees.filter((a) => a.country === 'CN').length / plan.attendees.length;
      expect(chinese).toBeGreaterThan(0.7);
      expect(chinese).toBeLessThan(0.95);
      const publicBuyerGroups = new Set(plan.attendees.filter((a) => a.route === 'public' && a.subGroupKey).map((a) => a.subGroupKey));
      expect(publicBuyerGroups.size).toBe(780);
    });
  });
});
