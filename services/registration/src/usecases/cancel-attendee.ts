import type { Attendee, BadgeRevocationReason } from '@expo/schemas';
import { notFound } from '@expo/service-kit';
import type { RegistrationDeps } from './deps.ts';

async function revokeBadge(deps: RegistrationDeps, badgeId: string, reason: BadgeRevocationReason, at: string): Promise<void> {
  const badge = await deps.store.badge(badgeId);
  if (!badge || badge.status === 'revoked') return;
  const { status: _status, revokedAt: _revokedAt, ...issued } = badge;
  await deps.producer.send(deps.topics.badges, [
    {
      type: 'badge.revoked',
      eventId: deps.expo.expoId,
      occurredAt: at,
      data: { ...issued, status: 'revoked', reason, revokedAt: at, changed: ['status', 'reason', 'revokedAt'] },
    },
  ]);
  await deps.store.saveBadge({ ...badge, status: 'revoked', revokedAt: at });
}

/**
 * Cancels a registration: the badge is revoked (scanners learn it from `registration.badges.v1`)
 * and the attendee record says `cancelled`. The email is freed so the person may register again.
 * Cancelling twice answers the cancelled attendee again. A registration half on the log (its badge
 * still in the outbox) leaves the outbox first, so its attendee.registered is not written after this.
 */
export async function cancelAttendee(deps: RegistrationDeps, attendeeId: string): Promise<Attendee> {
  const attendee = await deps.store.attendee(attendeeId);
  if (!attendee) throw notFound(`No attendee ${attendeeId}`);
  if (attendee.status === 'cancelled') return attendee;
  const at = (deps.now ?? (() => new Date()))().toISOString();
  await deps.store.outbox.forget(attendeeId);
  await revokeBadge(deps, attendee.badgeId, 'attendee_cancelled', at);
  const cancelled: Attendee = { ...attendee, status: 'cancelled' };
  await deps.producer.send(deps.topics.attendees, [
    { type: 'attendee.cancelled', eventId: deps.expo.expoId, occurredAt: at, data: { ...cancelled, status: 'cancelled', changed: ['status'] } },
  ]);
  await deps.store.saveAttendee(cancelled);
  await deps.store.releaseEmails([{ email: attendee.email, attendeeId }]);
  return cancelled;
}

/**
 * Erasure (the person's right to be forgotten): the badge is revoked first, so scanners keep
 * refusing it (the badge record holds no personal data and stays), then a tombstone removes the
 * attendee from the compacted topic and the record from Redis. Like a cancellation, it first takes
 * a registration half on the log out of the outbox, which would otherwise write its attendee again.
 */
export async function eraseAttendee(deps: RegistrationDeps, attendeeId: string): Promise<void> {
  const attendee = await deps.store.attendee(attendeeId);
  if (!attendee) throw notFound(`No attendee ${attendeeId}`);
  const at = (deps.now ?? (() => new Date()))().toISOString();
  await deps.store.outbox.forget(attendeeId);
  await revokeBadge(deps, attendee.badgeId, 'attendee_erased', at);
  await deps.producer.sendTombstone(deps.topics.attendees, attendeeId);
  await deps.store.forgetAttendee(attendee);
}
