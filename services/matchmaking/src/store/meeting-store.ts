import { Meeting } from '@expo/schemas';
import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import { holdMember, holdsOf, sameHold, type Hold } from './holds.ts';
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

/** Meetings in Redis: snapshots, the times parties and tables are held, counters; changed only by the Lua scripts. */
export class MeetingStore {
  constructor(
    readonly redis: RedisClient,
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
    const keys = [...this.requestKeys(meeting, requester), k.participantHolds(meeting.buyerId), k.participantHolds(meeting.exhibitorId)];
    const args = [
      JSON.stringify(meeting),
      meeting.buyerId,
      meeting.exhibitorId,
      requester === null ? -1 : limits.maxSent,
      limits.maxActive,
      limits.expiresAt,
      meeting.meetingId,
      slots.length,
      ...slots.flatMap((s) => [JSON.stringify({ start: s.start, end: s.end }), holdMember(Date.parse(s.start), Date.parse(s.end), meeting.meetingId)]),
    ];
    const [kind, value] = await this.scripts.run<[string, string?]>('request-meeting', keys, args);
    if (kind === 'ok') return { kind, stored: { raw: value!, meeting: Meeting.parse(JSON.parse(value!)) } };
    if (kind === 'duplicate') return { kind, meetingId: value! };
    if (kind === 'quota_meetings') return { kind, participantId: value! };
    return { kind: kind as 'refused' | 'quota_sent' | 'double_booked' };
  }

  /**
   * Undoes `request` for a meeting whose record was never logged (Kafka refused it): no trace, no
   * quota place, no time held. False when the meeting changed meanwhile (then it stays).
   */
  async withdraw(stored: StoredMeeting, requester: string | null): Promise<boolean> {
    const m = stored.meeting;
    const holds = this.holds(m);
    const keys = [...this.requestKeys(m, requester), ...holds.map((h) => h.key)];
    const args = [stored.raw, m.meetingId, requester === null ? '0' : '1', ...holds.map((h) => h.member)];
    return (await this.scripts.run<string>('withdraw-request', keys, args)) === 'ok';
  }

  /** The keys a new request touches, in the order request-meeting.lua and withdraw-request.lua read them. */
  private requestKeys(m: Meeting, requester: string | null): string[] {
    const k = this.keys;
    return [
      k.meeting(m.meetingId),
      k.preferences(),
      k.sent(requester ?? 'organiser'),
      k.active(m.buyerId),
      k.active(m.exhibitorId),
      k.meetingsOf(m.buyerId),
      k.meetingsOf(m.exhibitorId),
      k.expiry(),
      k.pair(m.buyerId, m.exhibitorId),
      k.sessionMeetings(m.sessionId ?? '-'),
    ];
  }

  /**
   * Compare-and-set of a snapshot from `before` to `after`. The times `after` holds (its parties',
   * its table's) are taken only if no other meeting holds an overlapping time there; what `before`
   * held and `after` does not is freed. `reopens` (with `expiresAt` for a pending request) takes
   * back an ending change Kafka refused.
   */
  async change(
    before: StoredMeeting,
    after: Meeting,
    options: { ends: boolean; reopens?: boolean; expiresAt?: number },
  ): Promise<ChangeOutcome & { raw?: string }> {
    const k = this.keys;
    const take = this.holds(after);
    const release = this.holds(before.meeting).filter((h) => !take.some((t) => sameHold(t, h)));
    const raw = JSON.stringify(after);
    const keys = [
      k.meeting(after.meetingId),
      k.expiry(),
      k.pair(after.buyerId, after.exhibitorId),
      k.active(after.buyerId),
      k.active(after.exhibitorId),
      ...take.map((h) => h.key),
      ...release.map((h) => h.key),
    ];
    const [kind, key, holder] = await this.scripts.run<[string, string?, string?]>('change-meeting', keys, [
      before.raw,
      raw,
      after.meetingId,
      options.ends ? '1' : options.reopens ? '-1' : '0',
      take.length,
      release.length,
      options.expiresAt ?? '',
      ...take.map((h) => h.member),
      ...release.map((h) => h.member),
    ]);
    if (kind === 'ok') return { kind, raw };
    if (kind === 'taken') return { kind, key: key!, holder: holder! };
    return { kind: kind as 'missing' | 'stale' };
  }

  /** The times a meeting holds in its status (store/holds.ts). */
  holds(meeting: Meeting): Hold[] {
    return holdsOf(this.keys, meeting);
  }

  async dueForExpiry(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.expiry(), '-inf', now, 'LIMIT', 0, limit);
  }
}
