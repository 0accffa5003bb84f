/** What a rebuild's fold saw on the log of the registrations the outbox holds. */
export interface OnTheLog {
  /** Attendees with a record on the log: an event, or an erasure's tombstone. */
  readonly attendees: ReadonlySet<string>;
  /** Badges with a record on the log. */
  readonly badges: ReadonlySet<string>;
}

/**
 * Collects, while a rebuild folds the log, which of the outbox's registrations it saw: an erased
 * attendee leaves no state behind, so only the fold can tell it from one not on the log yet. Only
 * the outbox's own ids are watched, so memory follows the outbox, not the expo's attendee count.
 */
export class OutboxSightings implements OnTheLog {
  readonly attendees = new Set<string>();
  readonly badges = new Set<string>();

  constructor(private readonly watched: { readonly attendees: ReadonlySet<string>; readonly badges: ReadonlySet<string> }) {}

  attendee(attendeeId: string): void {
    if (this.watched.attendees.has(attendeeId)) this.attendees.add(attendeeId);
  }

  badge(badgeId: string): void {
    if (this.watched.badges.has(badgeId)) this.badges.add(badgeId);
  }
}
