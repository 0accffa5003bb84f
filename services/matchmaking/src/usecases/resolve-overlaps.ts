import { createHash } from 'node:crypto';
import type { Meeting } from '@expo/schemas';
import { firstComeKeeps, withoutTime, type Claim } from '../domain/meetings/overlaps.ts';
import { holdsOf } from '../store/holds.ts';
import type { MatchmakingDeps } from './deps.ts';

type Deps = Pick<MatchmakingDeps, 'keys' | 'expoId' | 'producer' | 'topics' | 'now' | 'log'>;

/** A record id derived from what the record is (RFC 9562 name-based form), so a resend is the same record. */
function derivedId(name: string): string {
  const h = createHash('sha1').update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface Resolution {
  /** Meetings that keep their snapshot but hold nothing: history that overlaps other history. */
  readonly unheld: ReadonlySet<string>;
  readonly displaced: number;
}

/**
 * A log can hold overlapping meetings of a party or a table (written before overlaps were refused,
 * or by a change whose undo failed). The rebuild keeps the first (domain/meetings/overlaps.ts) and
 * logs the others without their time — the correction is a `meeting.<status>` record like any
 * change, so every reader of the log, this rebuild again included, agrees. History (held, no-show)
 * is never rewritten: such a meeting stays as it is, holds nothing, and is reported.
 * `latest` is updated in place; `since` says when each meeting took its current time.
 */
export async function resolveOverlaps(
  deps: Deps,
  latest: Map<string, Meeting>,
  since: ReadonlyMap<string, string>,
  checkpoint: () => Promise<void>,
): Promise<Resolution> {
  const claims: Claim[] = [];
  for (const meeting of latest.values()) {
    const holds = holdsOf(deps.keys, meeting);
    if (holds.length === 0 || !meeting.slot) continue;
    claims.push({
      meetingId: meeting.meetingId,
      resources: holds.map((h) => h.key),
      start: Date.parse(meeting.slot.start),
      end: Date.parse(meeting.slot.end),
      past: meeting.status === 'held' || meeting.status === 'no_show',
      since: since.get(meeting.meetingId) ?? meeting.updatedAt,
    });
  }
  const displaced = firstComeKeeps(claims);
  const unheld = new Set<string>();
  const corrections = [];
  for (const d of displaced) {
    deps.log.warn({ meetingId: d.meetingId, heldBy: d.heldBy }, 'a meeting in the log overlaps an earlier one of a party or table');
    if (d.past) {
      unheld.add(d.meetingId);
      continue;
    }
    const before = latest.get(d.meetingId)!;
    const after = withoutTime(before, deps.now());
    latest.set(d.meetingId, after.meeting);
    const id = derivedId(`${deps.expoId}|${d.meetingId}|displaced|${since.get(d.meetingId) ?? ''}|${before.slot?.start ?? ''}`);
    corrections.push({ id, type: `meeting.${after.meeting.status}`, eventId: deps.expoId, data: { ...after.meeting, changed: after.changed } });
  }
  for (let i = 0; i < corrections.length; i += 500) {
    await checkpoint();
    await deps.producer.send(deps.topics.meetings, corrections.slice(i, i + 500) as Parameters<typeof deps.producer.send<typeof deps.topics.meetings>>[1]);
  }
  return { unheld, displaced: displaced.length };
}
