import { describe, expect, it } from 'vitest';
import { BadgeTokenPayload } from '../src/badge-token.ts';

const payload = {
  v: 1,
  kid: 'key-2024-1',
  bid: 'bdg-1',
  aid: 'att-1',
  eid: 'ciie-2024',
  cat: 'media',
  acc: ['venue', 'hall', 'press_centre'],
  from: '2024-11-05',
  to: '2024-11-10',
};

describe('badge token payload', () => {
  it('accepts the fields docs/architecture.md lists, and ignores later additions', () => {
    expect(BadgeTokenPayload.parse({ ...payload, n: 'extra' })).toEqual(payload);
  });

  it.each([
    ['another token version', { v: 2 }],
    ['a missing expo id', { eid: undefined }],
    ['a bad day', { to: '2024-11-31' }],
  ])('rejects %s', (_what, change) => {
    expect(BadgeTokenPayload.safeParse({ ...payload, ...change }).success).toBe(false);
  });
});
