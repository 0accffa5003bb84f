import { describe, expect, it } from 'vitest';
import { REJECTION_REASONS, RejectionReason, SCAN_DECISIONS } from '../../src/vocab/scan-decisions.ts';

describe('scan decisions', () => {
  it('are the decisions and rejection reasons of docs/http.md, exactly', () => {
    expect(SCAN_DECISIONS).toEqual(['accepted', 'rejected']);
    expect(REJECTION_REASONS).toEqual([
      'invalid_token',
      'expired_badge',
      'revoked',
      'wrong_event',
      'not_valid_today',
      'zone_not_allowed',
      'capacity_full',
      'already_inside',
      'not_inside',
    ]);
    expect(RejectionReason.safeParse('full').success).toBe(false);
  });
});
