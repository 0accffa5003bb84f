import type { Meeting, MeetingStatus } from '@expo/schemas';

export type MeetingAction = 'accept' | 'decline' | 'cancel' | 'held' | 'no_show' | 'expire' | 'schedule';

/** Where each action may start from and where it leads (the vocabulary in packages/schemas). */
export const TRANSITIONS: Readonly<Record<MeetingAction, { from: readonly MeetingStatus[]; to: MeetingStatus }>> = {
  accept: { from: ['requested'], to: 'accepted' },
  decline: { from: ['requested'], to: 'declined' },
  expire: { from: ['requested'], to: 'expired' },
  // A requester may withdraw a pending request; a cancelled registration ends it too.
  cancel: { from: ['requested', 'accepted', 'scheduled'], to: 'cancelled' },
  schedule: { from: ['accepted'], to: 'scheduled' },
  held: { from: ['scheduled'], to: 'held' },
  no_show: { from: ['scheduled'], to: 'no_show' },
};

export const OPEN_STATUSES: readonly MeetingStatus[] = ['requested', 'accepted', 'scheduled'];

/** A meeting in these holds its time (and table) for its parties; a held or missed one keeps it, as history. */
export const HOLDING_STATUSES: readonly MeetingStatus[] = [...OPEN_STATUSES, 'held', 'no_show'];

/** Which side of the meeting a caller is, if any. */
export type Side = 'admin' | 'buyer' | 'exhibitor' | 'system';

/**
 * Only the invited side answers a request (either side when the organiser arranged it); either
 * side may cancel or report the outcome; the system expires and schedules; admin may do all.
 */
export function mayAct(side: Side | null, action: MeetingAction, meeting: Pick<Meeting, 'requestedBy'>): boolean {
  if (side === 'admin' || side === 'system') return true;
  if (side === null) return false;
  if (action === 'expire' || action === 'schedule') return false;
  if (action === 'accept' || action === 'decline') return meeting.requestedBy === 'organiser' || meeting.requestedBy !== side;
  return true;
}

/** The whole next snapshot and the names of the fields that changed. */
export function advance(meeting: Meeting, action: MeetingAction, at: Date, extra: Partial<Meeting> = {}): { meeting: Meeting; changed: string[] } {
  const next: Meeting = { ...meeting, ...extra, status: TRANSITIONS[action].to, updatedAt: at.toISOString() };
  const changed = Object.keys(next).filter((k) => JSON.stringify(next[k as keyof Meeting]) !== JSON.stringify(meeting[k as keyof Meeting]));
  return { meeting: next, changed };
}
