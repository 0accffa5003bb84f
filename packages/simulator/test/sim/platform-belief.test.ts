import { describe, expect, it } from 'vitest';
import { PlatformBelief, type BeliefScan } from '../../src/sim/platform-belief.ts';
import { neccVenue } from '../../src/venue/necc.ts';
import { VenueTree } from '../../src/venue/venue-tree.ts';

const VISITOR = ['venue', 'hall', 'area', 'pavilion', 'forum_room'];
const tree = new VenueTree(neccVenue());
const scan = (zoneId: string, direction: 'in' | 'out', at: number, extra: Partial<BeliefScan> = {}): BeliefScan => ({
  badgeId: 'b1',
  zoneId,
  direction,
  deviceTimeMs: at,
  offline: false,
  access: VISITOR,
  ...extra,
});

describe('the platform belief', () => {
  it('moves a badge one gate per scan and counts a zone with all inside it', () => {
    const belief = new PlatformBelief(tree);
    belief.apply(scan('necc', 'in', 1));
    belief.apply(scan('hall-7-1', 'in', 2));
    belief.apply(scan('incubation', 'in', 3));
    expect(belief.where('b1')).toBe('incubation');
    expect([belief.occupancyOf('necc'), belief.occupancyOf('hall-7-1'), belief.occupancyOf('incubation')]).toEqual([1, 1, 1]);
  });

  it('heals a badge that left by a door without a scanner with inferred exits (soft anti-passback)', () => {
    const belief = new PlatformBelief(tree);
    belief.apply(scan('necc', 'in', 1));
    belief.apply(scan('hall-1-1', 'in', 2));
    belief.apply(scan('african-products', 'in', 3));
    // Out of the zone and the hall unseen, then seen entering hall 4.1.
    const moves = belief.apply(scan('hall-4-1', 'in', 4));
    expect(moves).toEqual([
      { zoneId: 'african-products', direction: 'out', origin: 'inferred' },
      { zoneId: 'hall-1-1', direction: 'out', origin: 'inferred' },
      { zoneId: 'hall-4-1', direction: 'in', origin: 'device' },
    ]);
    expect(belief.occupancyOf('hall-1-1')).toBe(0);
    expect(belief.occupancyOf('hall-4-1')).toBe(1);
  });

  it('infers the entries of a badge seen leaving a room it was never seen entering', () => {
    const belief = new PlatformBelief(tree);
    const moves = belief.apply(scan('forum-main', 'out', 1));
    expect(moves.map((m) => `${m.origin}:${m.direction}:${m.zoneId}`)).toEqual([
      'inferred:in:necc',
      'inferred:in:forum-centre',
      'inferred:in:forum-main',
      'device:out:forum-main',
    ]);
    expect(belief.where('b1')).toBe('forum-centre');
  });

  it('counts an offline scan older than the last move and walks it back', () => {
    const belief = new PlatformBelief(tree);
    belief.apply(scan('necc', 'in', 100));
    belief.apply(scan('hall-3-1', 'in', 300));
    const moves = belief.apply(scan('hall-2-1', 'in', 200, { offline: true }));
    expect(moves.filter((m) => m.direction === 'in').map((m) => m.zoneId)).toEqual(['hall-2-1', 'hall-3-1']);
    expect(belief.where('b1')).toBe('hall-3-1');
    expect(belief.occupancyOf('hall-2-1')).toBe(0);
  });

  it('predicts refusals: a zone the badge does not open, a full zone; offline scans are never refused', () => {
    const belief = new PlatformBelief(new VenueTree(neccVenue({ capacityScale: 0, minCapacity: 1 })));
    expect(belief.predict(scan('matchmaking', 'in', 1))).toEqual({ decision: 'rejected', reason: 'zone_not_allowed' });
    belief.apply(scan('necc', 'in', 1, { badgeId: 'other' }));
    expect(belief.predict(scan('necc', 'in', 2))).toEqual({ decision: 'rejected', reason: 'capacity_full' });
    expect(belief.predict(scan('necc', 'in', 2, { offline: true }))).toEqual({ decision: 'accepted', reason: null });
  });

  it('empties every zone at the closing sweep', () => {
    const belief = new PlatformBelief(tree);
    belief.apply(scan('necc', 'in', 1));
    expect(belief.sweep()).toBe(1);
    expect(belief.occupancyOf('necc')).toBe(0);
    expect(belief.where('b1')).toBeNull();
  });
});
