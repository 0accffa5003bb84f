import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.ts';
import type { Visitor } from '../../src/sim/sim-world.ts';
import { arrivalMinute, nextCrossing, planItinerary } from '../../src/sim/visitor-model.ts';
import { neccVenue } from '../../src/venue/necc.ts';
import { VenueTree } from '../../src/venue/venue-tree.ts';

const tree = new VenueTree(neccVenue());
const visitor = (category: Visitor['category'], access: string[]): Visitor => ({
  index: 0,
  key: 'a',
  attendeeId: 'a',
  badgeId: 'b',
  token: 't',
  category,
  access,
  areas: ['food'],
  homeZoneId: category === 'exhibitor_staff' ? 'hall-2-1' : null,
  exhibitorIndex: null,
  location: null,
  itinerary: [],
  phase: 'waiting',
});

describe('the movement model', () => {
  it('walks the tree one gate at a time', () => {
    expect(nextCrossing(tree, null, 'incubation-green')).toEqual({ kind: 'enter', zoneId: 'necc' });
    expect(nextCrossing(tree, 'necc', 'incubation-green')).toEqual({ kind: 'enter', zoneId: 'hall-7-1' });
    expect(nextCrossing(tree, 'pavilion-fr', 'hall-4-1')).toEqual({ kind: 'exit', zoneId: 'pavilion-fr' });
    expect(nextCrossing(tree, 'hall-2-1', 'hall-4-1')).toEqual({ kind: 'exit', zoneId: 'hall-2-1' });
    expect(nextCrossing(tree, 'necc', null)).toEqual({ kind: 'exit', zoneId: 'necc' });
    expect(nextCrossing(tree, 'hall-1-1', 'hall-1-1')).toEqual({ kind: 'there' });
  });

  it('puts most visitor arrivals in a morning peak of about 90 minutes', () => {
    const random = new Random(3);
    const minutes = Array.from({ length: 2000 }, () => arrivalMinute(random, 'professional_visitor'));
    const inPeak = minutes.filter((m) => m >= 8 * 60 + 45 && m <= 10 * 60 + 15).length / minutes.length;
    expect(inPeak).toBeGreaterThan(0.6);
    expect(Math.min(...minutes)).toBeGreaterThanOrEqual(8 * 60 + 30);
  });

  it('plans itineraries of known zones; exhibitor staff start at their own hall', () => {
    const random = new Random(5);
    for (let i = 0; i < 200; i++) {
      const plan = planItinerary(random, tree, visitor('professional_visitor', ['venue', 'hall', 'area', 'pavilion', 'forum_room']));
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.every((z) => tree.byId.has(z))).toBe(true);
    }
    expect(planItinerary(random, tree, visitor('exhibitor_staff', ['venue', 'hall']))[0]).toBe('hall-2-1');
  });
});
