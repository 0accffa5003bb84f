import { describe, expect, it } from 'vitest';
import { accessAllows, accessZoneKinds, BadgeAccess } from '../src/badge-access.ts';

describe('badge access', () => {
  const hall = { zoneId: 'hall-7-1', kind: 'hall' as const };
  const forum = { zoneId: 'forum-3', kind: 'forum_room' as const };

  it('allows a zone by its kind or its id', () => {
    expect(accessAllows(['venue', 'hall'], hall)).toBe(true);
    expect(accessAllows(['venue', 'forum-3'], forum)).toBe(true);
    expect(accessAllows(['venue', 'hall'], forum)).toBe(false);
  });

  it('tells kinds from zone ids', () => {
    expect(accessZoneKinds(['venue', 'forum-3', 'vip_lounge'])).toEqual(['venue', 'vip_lounge']);
    expect(BadgeAccess.safeParse(['']).success).toBe(false);
  });
});
