import { describe, expect, it } from 'vitest';
import { isZoneKind, ZoneKind } from '../../src/vocab/zone-kinds.ts';

describe('zone kinds', () => {
  it('include the places docs/zones-and-occupancy.md names', () => {
    for (const kind of ['venue', 'hall', 'area', 'forum_room', 'matchmaking_area']) expect(isZoneKind(kind)).toBe(true);
    expect(isZoneKind('hall-7')).toBe(false);
    expect(ZoneKind.safeParse('Hall').success).toBe(false);
  });
});
