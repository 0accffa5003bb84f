import { Meeting } from '@expo/schemas';
import type { ScriptRunner } from '@expo/service-kit';
import type { Redis } from 'ioredis';
import type { MatchmakingKeys } from './keys.ts';

export interface StoredMeeting {
  readonly raw: string;
  readonly meeting: Meeting;
}

export type RequestOutcome =
  | { kind: 'ok'; stored: StoredMeeting }
  | { kind: 'refused' | 'quota_sent' | 'double_booked' }
  | { kind: 'duplicate'; meetingId: string }
  | { kind: 'quota_meetings'; participantId: string };

export type ChangeOutcome = { kind: 'ok' } | { kind: 'missing' | 'stale' } | { kind: 'taken'; key: string; holder: string };

/** Meetings in Redis: snapshots, who holds which slot and table, counters; changed only by the Lua scripts. */
export class MeetingStore {
  constructor(
    readonly redis: Redis,
    private readonly scripts: ScriptRunner,
    readonly keys: MatchmakingKeys,
  ) {}

  async get(meetingId: string): Promise<StoredMeeting | null> {
    const raw = await this.redis.get(this.keys.meeting(meetingId));
    return raw === null ? null : { raw, meeting: Meeting.parse(JSON.parse(raw)) };
  }

  async many(ids: readonly string[]): Promise<StoredMeeting[]> {
    if (ids.length === 0) return [];
    const out: StoredMeeting[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const raws = await this.redis.mget(...ids.slice(i, i + 1000).map((id) => this.keys.meeting(id)));
      for (const raw of raws) if (raw !== null) out.push({ raw, meeting: Meeting.parse(JSON.parse(raw)) });
    }
    return out;
  }

  async ofParticipant(participantId: string): Promise<StoredMeeting[]> {
    return this.many(await this.scripts.run<string[]>('meetings-of', [this.keys.meetingsOf(participantId)]));
  }

  async ofSession(sessionId: string): Promise<StoredMeeting[]> {
    return this.many(await this.redis.smembers(this.keys.sessionMeetings(sessionId)));
  }

  async request(
    meeting: Meeting,
    requester: string | null,
    limits: { maxSent: number; maxActive: number; expiresAt: number },
    slots: ReadonlyArray<{ start: string; end: string }>,
  ): Promise<RequestOutcome> {
    const k = this.keys;
    const keys = [
      ...this.requestKeys(meeting, requester),
      ...slots.flatMap((s) => [k.busy(meeting.buyerId, s.start), k.busy(meeting.exhibitorId, s.start)]),
    ];
    const args = [
      JSON.stringify(meeting), meeting.buyerId, meeting.exhibitorId, requester === null ? -1 : limits.maxSent, limits.maxActive,
      limits.expiresAt, meeting.meetingId, slots.length, ...slots.map((s) => JSON.stringify({ start: s.start, end: s.end })),
    ];
    const [kind, value] = await this.scripts.run<[string, string?]>('request-meeting', keys, args);
    if (kind === 'ok') return { kind, stored: { raw: value!, meeting: Meeting.parse(JSON.parse(value!)) } };
    if (kind === 'duplicate') return { kind, meetingId: value! };
    if (kind === 'quota_meetings') return { kind, participantId: value! };
    return { kind: kind as 'refused' | 'quota_sent' | 'double_booked' };
  }

  /**
   * Undoes `request` for a meeting whose record was never logged (Kafka refused it): no trace, no
   * quota place, no slot held. False when the meeting changed meanwhile (then it stays).
   */
  async withdraw(stored: StoredMeeting, requester: string | null): Promise<boolean> {
    const m = stored.meeting;
    const keys = [...this.requestKeys(m, requester), ...this.holds(m)];
    return (await this.scripts.run<string>('withdraw-request', keys, [stored.raw, m.meetingId, requester === null ? '0' : '1'])) === 'ok';
  }

  /** The keys a new request touches, in the order request-meeting.lua and withdraw-request.lua read them. */
  private requestKeys(m: Meeting, requester: string | null): string[] {
    const k = this.keys;
    return [
      k.meeting(m.meetingId), k.preferences(), k.sent(requester ?? 'organiser'), k.active(m.buyerId), k.active(m.exhibitorId),
      k.meetingsOf(m.buyerId), k.meetingsOf(m.exhibitorId), k.expiry(), k.pair(m.buyerId, m.exhibitorId), k.sessionMeetings(m.sessionId ?? '-'),
    ];
  }

  /** Compare-and-set of a snapshot; `take` keys must be free or ours, `release` keys are freed if ours. */
  /** `reopens` (with `expiresAt` for a pending request) takes back an ending change Kafka refused. */
  async change(
    before: StoredMeeting,
    after: Meeting,
    options: { ends: boolean; reopens?: boolean; expiresAt?: number; take?: readonly string[]; release?: readonly string[] },
  ): Promise<ChangeOutcome & { raw?: string }> {
    const k = this.keys;
    const take = options.take ?? [];
    const release = options.release ?? [];
    const raw = JSON.stringify(after);
    const keys = [k.meeting(after.meetingId), k.expiry(), k.pair(after.buyerId, after.exhibitorId), k.active(after.buyerId), k.active(after.exhibitorId), ...take, ...release];
    const [kind, key, holder] = await this.scripts.run<[string, string?, string?]>('change-meeting', keys, [
      before.raw, raw, after.meetingId, options.ends ? '1' : options.reopens ? '-1' : '0', take.length, release.length, options.expiresAt ?? '',
    ]);
    if (kind === 'ok') return { kind, raw };
    if (kind === 'taken') return { kind, key: key!, holder: holder! };
    return { kind: kind as 'missing' | 'stale' };
  }

  /** Slot and table keys a meeting holds. */
  holds(meeting: Meeting): string[] {
    if (!meeting.slot) return [];
    const held = [this.keys.busy(meeting.buyerId, meeting.slot.start), this.keys.busy(meeting.exhibitorId, meeting.slot.start)];
    if (meeting.tableId && meeting.sessionId) held.push(this.keys.table(meeting.sessionId, meeting.tableId, meeting.slot.start));
    return held;
  }

  async dueForExpiry(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.expiry(), '-inf', now, 'LIMIT', 0, limit);
  }
}
