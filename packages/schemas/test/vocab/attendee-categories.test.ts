import { describe, expect, it } from 'vitest';
import { RegisterAttendeeBody } from '../../src/http/registration/attendees.ts';
import { ATTENDEE_CATEGORIES, attendeeCategoryInfo } from '../../src/vocab/attendee-categories.ts';

const attendee = { name: 'Amina Diallo', email: 'amina@example.com', country: 'SN', consent: true };

describe('attendee categories', () => {
  it.each(['professional_visitor', 'exhibitor_staff', 'buyer', 'media', 'vip', 'organiser_staff'])('an attendee registers as %s', (category) => {
    expect(RegisterAttendeeBody.safeParse({ ...attendee, category }).success).toBe(true);
  });

  it.each(['Buyer', 'visitor', 'exhibitor-staff', 'organizer_staff', ''])('an attendee registering as %j is refused, on the category field', (category) => {
    const parsed = RegisterAttendeeBody.safeParse({ ...attendee, category });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['category']);
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
