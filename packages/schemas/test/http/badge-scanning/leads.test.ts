import { describe, expect, it } from 'vitest';
import { CaptureLeadBody } from '../../../src/http/badge-scanning/leads.ts';

describe('POST /v1/leads', () => {
  it('takes a note and a rating of 1 to 5', () => {
    expect(CaptureLeadBody.safeParse({ leadId: 'l-1', badgeToken: 't.s', note: 'call back', rating: 5 }).success).toBe(true);
    expect(CaptureLeadBody.safeParse({ leadId: 'l-1', badgeToken: 't.s', rating: 9 }).success).toBe(false);
  });
});
