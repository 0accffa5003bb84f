import { describe, expect, it } from 'vitest';
import { BadgeIssued, BadgeRevoked } from '../../src/events/badges.ts';
import { exampleRecord, issuedBadge, revokedBadge } from '../examples.ts';

describe('badge events', () => {
  it('accept an issued and a revoked badge', () => {
    expect(BadgeIssued.envelope.parse(exampleRecord(BadgeIssued)).data.status).toBe('active');
    expect(BadgeRevoked.envelope.parse(exampleRecord(BadgeRevoked)).data.reason).toBe('attendee_cancelled');
  });

  it('keep the whole badge on a revocation, which replaces the issue record under compaction', () => {
    const { kid: _k, ...withoutKid } = revokedBadge();
    expect(BadgeRevoked.data.safeParse(withoutKid).success).toBe(false);
  });

  it('take revocation reasons from the list only, never free text', () => {
    expect(BadgeRevoked.data.safeParse({ ...revokedBadge(), reason: 'Mr Li lost it' }).success).toBe(false);
  });

  it.each([
    ['a validity day that is not a date', { validFrom: '5 Nov 2024' }],
    ['an unknown category', { category: 'guest' }],
    ['a revoked status on an issue record', { status: 'revoked' }],
  ])('reject %s', (_what, change) => {
    expect(BadgeIssued.data.safeParse({ ...issuedBadge(), ...change }).success).toBe(false);
  });

  it('drop personal fields a producer might add by mistake', () => {
    const parsed = BadgeIssued.data.parse({ ...issuedBadge(), name: 'Li Wei', email: 'li@example.com' });
    expect(parsed).not.toHaveProperty('name');
    expect(parsed).not.toHaveProperty('email');
  });
});
