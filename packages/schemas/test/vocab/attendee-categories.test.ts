import { describe, expect, it } from 'vitest';
import { ATTENDEE_CATEGORIES, ATTENDEE_CATEGORY_CODES, AttendeeCategory, attendeeCategoryInfo } from '../../src/vocab/attendee-categories.ts';

describe('attendee categories', () => {
  it('are spelled as docs/http.md spells them', () => {
    expect(ATTENDEE_CATEGORY_CODES).toEqual(['professional_visitor', 'exhibitor_staff', 'buyer', 'media', 'vip', 'organiser_staff']);
    expect(AttendeeCategory.safeParse('Buyer').success).toBe(false);
  });

  it('each have both labels and a distinct badge colour', () => {
    for (const c of ATTENDEE_CATEGORIES) {
      expect(c.en.length).toBeGreaterThan(0);
      expect(c.zh).toMatch(/\p{Script=Han}/u);
      expect(c.colour).toMatch(/^#[0-9A-F]{6}$/);
    }
    expect(new Set(ATTENDEE_CATEGORIES.map((c) => c.colour)).size).toBe(ATTENDEE_CATEGORIES.length);
    expect(attendeeCategoryInfo('media').zh).toBe('媒体');
  });
});
