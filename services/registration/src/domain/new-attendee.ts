import { randomUUID } from 'node:crypto';
import type { Attendee, IssuedBadge, RegisterAttendeeBody } from '@expo/schemas';
import { ACCESS_PROFILES } from './access-profiles.ts';
import { validityOf, type ExpoDays } from './validity.ts';

export interface NewAttendee {
  readonly attendee: Attendee;
  readonly badge: IssuedBadge;
}

export function newAttendeeId(): string {
  return `att_${randomUUID().replaceAll('-', '')}`;
}

/**
 * The snapshot and badge of a registration. Fails (null) only when the asked days all fall
 * outside the expo, which the caller reports as a problem of the `days` field.
 */
export function newAttendee(body: RegisterAttendeeBody, ids: { attendeeId: string; kid: string }, expo: ExpoDays, now: Date): NewAttendee | null {
  const validity = validityOf(body.days ?? [], expo);
  if (!validity) return null;
  const registeredAt = now.toISOString();
  const badgeId = `bdg_${randomUUID().replaceAll('-', '')}`;
  const { consent: _consent, ...fields } = body;
  const attendee: Attendee = {
    ...fields,
    attendeeId: ids.attendeeId,
    interests: body.interests ?? [],
    days: [...new Set(body.days ?? [])].sort(),
    badgeId,
    status: 'active',
    registeredAt,
  };
  const badge: IssuedBadge = {
    badgeId,
    attendeeId: ids.attendeeId,
    kid: ids.kid,
    category: body.category,
    access: ACCESS_PROFILES[body.category],
    ...validity,
    issuedAt: registeredAt,
  };
  return { attendee, badge };
}

/** The token claims of a badge: everything a scanner decides on, nothing personal. */
export function badgeClaims(badge: IssuedBadge, expoId: string) {
  return { bid: badge.badgeId, aid: badge.attendeeId, eid: expoId, cat: badge.category, acc: badge.access, from: badge.validFrom, to: badge.validTo };
}
