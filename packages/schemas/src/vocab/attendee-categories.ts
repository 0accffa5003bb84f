import { z } from 'zod';

/**
 * Who a badge holder is (docs/http.md spells the codes). `colour` is the band printed on the badge so
 * gate staff tell categories apart at a glance; the label is printed beside it because colour
 * alone fails some readers.
 */
export const ATTENDEE_CATEGORIES = [
  { code: 'professional_visitor', en: 'Professional visitor', zh: '专业观众', colour: '#1565C0' },
  { code: 'exhibitor_staff', en: 'Exhibitor', zh: '展商', colour: '#2E7D32' },
  { code: 'buyer', en: 'Buyer', zh: '采购商', colour: '#EF6C00' },
  { code: 'media', en: 'Media', zh: '媒体', colour: '#6A1B9A' },
  { code: 'vip', en: 'VIP', zh: '贵宾', colour: '#C62828' },
  { code: 'organiser_staff', en: 'Organiser staff', zh: '工作人员', colour: '#37474F' },
] as const;

export const ATTENDEE_CATEGORY_CODES = ATTENDEE_CATEGORIES.map((c) => c.code);
export const AttendeeCategory = z.enum(ATTENDEE_CATEGORY_CODES);
export type AttendeeCategory = z.infer<typeof AttendeeCategory>;
export type AttendeeCategoryInfo = (typeof ATTENDEE_CATEGORIES)[number];

export function attendeeCategoryInfo(code: AttendeeCategory): AttendeeCategoryInfo {
  const info = ATTENDEE_CATEGORIES.find((c) => c.code === code);
  if (!info) throw new Error(`unknown attendee category ${code}`);
  return info;
}
