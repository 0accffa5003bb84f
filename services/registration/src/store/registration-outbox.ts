import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import { OutboxSightings, type OnTheLog } from '../domain/outbox-sightings.ts';
import type { RegistrationKeys } from './keys.ts';
import type { Registration } from './registration-store.ts';

/**
 * Registrations between their email reservation and Kafka's acknowledgement of their records. A
 * registration enters with its reservation, in one script, and leaves confirmed (it becomes state)
 * or released (Kafka certainly wrote nothing). Until then it is written again with the same ids,
 * by a retry of its request or by the outbox loop, whatever became of its own request. Every
 * change is a guarded script: none lands in a Redis whose state is lost.
 */
export class RegistrationOutbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    private readonly keys: RegistrationKeys,
  ) {}

  /**
   * Reserves each registration's email and enters the reserved ones in the outbox. Answers, per
   * registration, null when reserved or the id of the attendee that holds the email.
   */
  async reserve(registrations: readonly Registration[]): Promise<Array<string | null>> {
    if (registrations.length === 0) return [];
    const k = this.keys;
    const keys = [k.outbox(), ...registrations.flatMap(({ attendee }) => [k.email(attendee.email), k.outboxEntry(attendee.attendeeId)])];
    const args = registrations.flatMap((r) => [r.attendee.attendeeId, JSON.stringify(r)]);
    const holders = await this.scripts.run<string[]>('reserve-registrations', keys, args);
    return holders.map((holder) => (holder === '' ? null : holder));
  }

  /**
   * Kafka acknowledged their records: they leave the outbox as state (unless already state).
   * Answers those that left it now: another writer may have confirmed the others first.
   */
  async confirm(registrations: readonly Registration[]): Promise<Registration[]> {
    if (registrations.length === 0) return [];
    const k = this.keys;
    const keys = [k.outbox()];
    const args: string[] = [];
    for (const { attendee, badge } of registrations) {
      keys.push(k.attendee(attendee.attendeeId), k.badge(badge.badgeId), k.email(attendee.email), k.outboxEntry(attendee.attendeeId));
      args.push(attendee.attendeeId, JSON.stringify(attendee), JSON.stringify(badge));
    }
    const confirmed = await this.scripts.run<number[]>('confirm-registrations', keys, args);
    return registrations.filter((_r, i) => confirmed[i] === 1);
  }

  /**
   * Kafka certainly wrote none of their records: they leave the outbox and free their emails,
   * except those the outbox has written again since. Answers, per registration, whether released.
   */
  async release(registrations: readonly Registration[]): Promise<boolean[]> {
    if (registrations.length === 0) return [];
    const k = this.keys;
    const keys = [k.outbox(), ...registrations.flatMap(({ attendee: a }) => [k.email(a.email), k.outboxEntry(a.attendeeId), k.attendee(a.attendeeId)])];
    const released = await this.scripts.run<number[]>(
      'release-registrations',
      keys,
      registrations.map((r) => r.attendee.attendeeId),
    );
    return released.map((r) => r === 1);
  }

  /** The registration the outbox holds for an attendee, if any. */
  async held(attendeeId: string): Promise<Registration | null> {
    const raw = await this.redis.hget(this.keys.outboxEntry(attendeeId), 'registration');
    return raw === null ? null : (JSON.parse(raw) as Registration);
  }

  /**
   * Claims the registrations reserved more than `graceMs` ago (RedisClient's clock), oldest first, up to
   * `limit`: from now on they are never released, as the caller is about to write them again.
   */
  async claimDue(graceMs: number, limit: number): Promise<Registration[]> {
    const [seconds, micros] = await this.redis.time();
    const before = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - graceMs;
    const due = await this.heldAll(await this.redis.zrangebyscore(this.keys.outbox(), '-inf', `(${before}`, 'LIMIT', 0, limit));
    if (due.length === 0) return [];
    const k = this.keys;
    // Done means attendee and badge in the state; an entry gone meanwhile names its own key as the
    // badge's, which the script then never reads.
    const badgeKey = (id: string, r: Registration | null) => (r ? k.badge(r.badge.badgeId) : k.outboxEntry(id));
    const keys = [k.outbox(), ...due.flatMap(({ id, registration: r }) => [k.outboxEntry(id), k.attendee(id), badgeKey(id, r)])];
    const claimed = await this.scripts.run<string[]>(
      'claim-unconfirmed',
      keys,
      due.map((d) => d.id),
    );
    return claimed.map((raw) => JSON.parse(raw) as Registration);
  }

  /**
   * Before a rebuild folds the log: what to watch for, the attendees and badges of the registrations
   * held now. A lost state refuses every outbox script, so the outbox gains none until the rebuild ends.
   */
  async watch(page = 500): Promise<OutboxSightings> {
    const attendees = new Set<string>();
    const badges = new Set<string>();
    const ids = await this.redis.zrange(this.keys.outbox(), 0, -1);
    for (let from = 0; from < ids.length; from += page) {
      for (const { registration } of await this.heldAll(ids.slice(from, from + page))) {
        if (!registration) continue;
        attendees.add(registration.attendee.attendeeId);
        badges.add(registration.badge.badgeId);
      }
    }
    return new OutboxSightings({ attendees, badges });
  }

  /**
   * After a rebuild folded the log (which clears every email reservation, not the outbox): what is
   * on the log whole, or ended there (erased, cancelled), leaves the outbox; what is not, or only
   * its attendee, stays (reserved again). In pages, as the rebuild's own calls (its lease token
   * passes the state guard).
   */
  async restoreAfterRebuild(seen: OnTheLog, page = 500): Promise<{ kept: number; folded: number; dropped: number }> {
    const counts = { kept: 0, folded: 0, dropped: 0 };
    const k = this.keys;
    const ids = await this.redis.zrange(k.outbox(), 0, -1);
    for (let from = 0; from < ids.length; from += page) {
      const held = await this.heldAll(ids.slice(from, from + page));
      const present = held.flatMap((h) => (h.registration ? [h.registration] : []));
      const gone = held.filter((h) => !h.registration).map((h) => h.id);
      if (gone.length > 0) await this.redis.zrem(k.outbox(), ...gone);
      if (present.length === 0) continue;
      const keys = [k.outbox(), ...present.flatMap(({ attendee: a }) => [k.outboxEntry(a.attendeeId), k.attendee(a.attendeeId), k.email(a.email)])];
      const flag = (on: boolean) => (on ? '1' : '0');
      const args = present.flatMap(({ attendee: a, badge: b }) => [a.attendeeId, flag(seen.attendees.has(a.attendeeId)), flag(seen.badges.has(b.badgeId))]);
      const [kept, folded, dropped] = await this.scripts.run<[number, number, number]>('restore-outbox', keys, args);
      counts.kept += kept;
      counts.folded += folded;
      counts.dropped += dropped;
    }
    return counts;
  }

  /**
   * The attendee was cancelled or erased: its registration leaves the outbox if still there (half
   * on the log), so no write of attendee.registered follows the record that ended it.
   */
  async forget(attendeeId: string): Promise<void> {
    await this.scripts.run<number>('forget-registration', [this.keys.outbox(), this.keys.outboxEntry(attendeeId)], [attendeeId]);
  }

  private heldAll(ids: readonly string[]): Promise<Array<{ id: string; registration: Registration | null }>> {
    return Promise.all(ids.map(async (id) => ({ id, registration: await this.held(id) })));
  }

  /** How many registrations wait for Kafka's acknowledgement. */
  size(): Promise<number> {
    return this.redis.zcard(this.keys.outbox());
  }
}
