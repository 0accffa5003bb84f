import { describe, expect, it } from 'vitest';
import { LeadCaptured } from '../../src/events/leads.ts';
import { exampleRecord, lead } from '../examples.ts';

describe('lead.captured', () => {
  it('accepts a lead with and without rating and interests', () => {
    expect(LeadCaptured.envelope.parse(exampleRecord(LeadCaptured)).data.rating).toBe(4);
    expect(LeadCaptured.data.safeParse(lead({ rating: undefined, interests: undefined })).success).toBe(true);
  });

  it.each([
    ['a rating of 0', { rating: 0 }],
    ['a rating of 6', { rating: 6 }],
    ['a fractional rating', { rating: 3.5 }],
    ['no exhibitor (the key)', { exhibitorId: undefined }],
  ])('rejects %s', (_what, change) => {
    expect(LeadCaptured.data.safeParse({ ...lead(), ...change }).success).toBe(false);
  });

  it('never carries the exhibitor note', () => {
    expect(LeadCaptured.data.parse({ ...lead(), note: 'wants 20 t of milk powder' })).not.toHaveProperty('note');
  });
});
