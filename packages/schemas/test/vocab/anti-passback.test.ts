import { describe, expect, it } from 'vitest';
import { PutZoneBody } from '../../src/http/badge-scanning/zones.ts';

const zone = { name: 'Hall 7.1', kind: 'hall', parentId: 'necc', capacity: 500 };

describe('anti-passback policies', () => {
  it.each(['strict', 'soft', 'off'])('a zone may be defined with %s', (antiPassback) => {
    expect(PutZoneBody.safeParse({ ...zone, antiPassback }).success).toBe(true);
  });

  it.each(['Strict', 'hard', 'none', ''])('a zone defined with %j is refused, on its antiPassback field', (antiPassback) => {
    const parsed = PutZoneBody.safeParse({ ...zone, antiPassback });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['antiPassback']);
  });
});
