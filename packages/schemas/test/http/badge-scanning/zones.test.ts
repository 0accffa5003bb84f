import { describe, expect, it } from 'vitest';
import { PutZoneBody, ZoneParams } from '../../../src/http/badge-scanning/zones.ts';

describe('PUT /v1/zones/:zoneId', () => {
  it('takes null parent and capacity, and the three policies', () => {
    expect(PutZoneBody.safeParse({ name: 'NECC', kind: 'venue', parentId: null, capacity: null, antiPassback: 'off' }).success).toBe(true);
    expect(PutZoneBody.safeParse({ name: 'Hall', kind: 'hall', parentId: 'v', capacity: -5, antiPassback: 'soft' }).success).toBe(false);
    expect(ZoneParams.safeParse({ zoneId: 'venue' }).success).toBe(false);
  });
});
