import type { Meeting } from '@expo/schemas';

/** The time a meeting holds on its resources (its parties and its table, by any stable names). */
export interface Claim {
  readonly meetingId: string;
  readonly resources: readonly string[];
  /** Half-open [start, end), ms since the epoch. */
  readonly start: number;
  readonly end: number;
  /** Held or missed: history, which no plan displaces. */
  readonly past: boolean;
  /** When the meeting took this time: the `recordedAt` of the first record that carried it. */
  readonly since: string;
}

export interface Displaced {
  readonly meetingId: string;
  /** The kept meeting it overlaps on a shared resource. */
  readonly heldBy: string;
  readonly past: boolean;
}

function precedes(a: Claim, b: Claim): number {
  if (a.past !== b.past) return a.past ? -1 : 1;
  const since = Date.parse(a.since) - Date.parse(b.since);
  if (since !== 0) return since;
  return a.meetingId < b.meetingId ? -1 : a.meetingId > b.meetingId ? 1 : 0;
}

/**
 * Which of the claims keep their time when some overlap on a resource (a log written before
 * overlaps were refused, or by a change whose undo failed): history first, then whoever took its
 * time first, then the lower meeting id — so the answer depends on the log's content alone, not on
 * the order its partitions were read in. A claim overlapping a kept one on any resource is displaced.
 */
export function firstComeKeeps(claims: readonly Claim[]): Displaced[] {
  const kept = new Map<string, Claim[]>();
  const displaced: Displaced[] = [];
  for (const claim of [...claims].sort(precedes)) {
    const holder = claim.resources.flatMap((r) => kept.get(r) ?? []).find((other) => other.start < claim.end && claim.start < other.end);
    if (holder) {
      displaced.push({ meetingId: claim.meetingId, heldBy: holder.meetingId, past: claim.past });
      continue;
    }
    for (const r of claim.resources) {
      const held = kept.get(r);
      if (held) held.push(claim);
      else kept.set(r, [claim]);
    }
  }
  return displaced;
}

/**
 * A planned meeting that lost its time: no slot and no table any more, and a scheduled one is
 * accepted again, so the next session schedule (or the parties) can place it anew.
 */
export function withoutTime(meeting: Meeting, at: Date): { meeting: Meeting; changed: string[] } {
  const { slot: _slot, tableId: _tableId, ...rest } = meeting;
  const next: Meeting = { ...rest, status: meeting.status === 'scheduled' ? 'accepted' : meeting.status, updatedAt: at.toISOString() };
  const changed = ['slot', ...(meeting.tableId === undefined ? [] : ['tableId']), ...(next.status === meeting.status ? [] : ['status']), 'updatedAt'];
  return { meeting: next, changed };
}
