import { describe, expect, it } from 'vitest';
import { isZoneKind } from '@expo/schemas';
import { neccVenue } from '../../src/venue/necc.ts';
import { VenueTree, venueProblems } from '../../src/venue/venue-tree.ts';

describe('the NECC venue', () => {
  const venue = neccVenue();
  const tree = new VenueTree(venue);

  it('is a valid tree with one root, known parents and unique zone and gate ids', () => {
    expect(venueProblems(venue)).toEqual([]);
    expect(tree.root.zoneId).toBe('necc');
    expect(tree.topDown()).toHaveLength(venue.zones.length);
  });

  it('has no zone id spelled like a zone kind', () => {
    expect(venue.zones.filter((z) => isZoneKind(z.zoneId))).toEqual([]);
  });

  it('has the halls, the Hongqiao forum rooms, the incubation tracks and the special areas', () => {
    expect(venue.zones.filter((z) => z.kind === 'hall').map((z) => z.hallNumber)).toEqual(['1.1', '2.1', '3.1', '4.1', '5.1', '6.1', '7.1', '8.1']);
    const forums = venue.zones.filter((z) => z.kind === 'forum_room');
    expect(forums).toHaveLength(20);
    expect(forums.filter((z) => z.name.startsWith('Sub-forum'))).toHaveLength(19);
    expect(tree.childrenOf('incubation').map((z) => z.zoneId)).toEqual([
      'incubation-digital',
      'incubation-green',
      'incubation-life',
      'incubation-manufacturing',
    ]);
    expect(tree.chain('incubation-life')).toEqual(['incubation-life', 'incubation', 'hall-7-1', 'necc']);
    for (const id of ['african-products', 'ai-experience', 'ic-section', 'matchmaking', 'press', 'central-plaza']) expect(tree.byId.has(id)).toBe(true);
    expect(venue.zones.filter((z) => z.kind === 'pavilion').length).toBeGreaterThanOrEqual(8);
  });

  it('has doors without scanners for the soft anti-passback to heal', () => {
    expect(venue.zones.filter((z) => z.unscannedDoors > 0).length).toBeGreaterThan(10);
    expect(venue.zones.every((z) => z.antiPassback === 'soft')).toBe(true);
  });

  it('scales capacities for a small expo but never below the minimum', () => {
    const small = neccVenue({ capacityScale: 0.002, minCapacity: 10 });
    expect(small.zones.find((z) => z.zoneId === 'hall-1-1')?.capacity).toBe(48);
    expect(Math.min(...small.zones.map((z) => z.capacity ?? Infinity))).toBe(10);
  });

  it('finds problems in a broken venue', () => {
    const broken = { zones: [...venue.zones, { ...venue.zones[1]!, zoneId: 'hall', parentId: 'nowhere' }] };
    expect(venueProblems(broken)).toEqual(expect.arrayContaining(['zone id hall is spelled like a zone kind', 'zone hall has an unknown parent nowhere']));
  });
});
