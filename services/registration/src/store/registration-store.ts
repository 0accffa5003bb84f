import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import type { Attendee, Delegation, Exhibitor, IssuedBadge } from '@expo/schemas';
import type { RegistrationKeys } from './keys.ts';
import { RegistrationOutbox } from './registration-outbox.ts';

/** A badge as registration keeps it: the issued record and whether it still opens gates. */
export type StoredBadge = IssuedBadge & { status: 'active' | 'revoked'; revokedAt?: string };

/** The stored form of a badge record from the topic (issued or revoked). */
export function storedBadgeOf(data: IssuedBadge & ({ status: 'active' } | { status: 'revoked'; revokedAt: string })): StoredBadge {
  const { badgeId, attendeeId, kid, category, access, validFrom, validTo, issuedAt } = data;
  const issued = { badgeId, attendeeId, kid, category, access, validFrom, validTo, issuedAt };
  return data.status === 'revoked' ? { ...issued, status: 'revoked', revokedAt: data.revokedAt } : { ...issued, status: 'active' };
}

export interface Registration {
  readonly attendee: Attendee;
  readonly badge: StoredBadge;
}

async function getJson<T>(redis: RedisClient, key: string): Promise<T | null> {
  const raw = await redis.get(key);
  return raw === null ? null : (JSON.parse(raw) as T);
}

/** Registration's live state in Redis: its own keys only, all rebuildable from its topics. */
export class RegistrationStore {
  /** Registrations reserved whose records Kafka has not acknowledged yet. */
  readonly outbox: RegistrationOutbox;

  constructor(
    readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    readonly keys: RegistrationKeys,
  ) {
    this.outbox = new RegistrationOutbox(redis, scripts, keys);
  }

  async releaseEmails(entries: ReadonlyArray<{ email: string; attendeeId: string }>): Promise<void> {
    await Promise.all(entries.map((e) => this.scripts.run('release-email', [this.keys.email(e.email)], [e.attendeeId])));
  }

  runScript<T>(name: string, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<T> {
    return this.scripts.run<T>(name, keys, args);
  }

  async saveAttendee(attendee: Attendee): Promise<void> {
    await this.redis.set(this.keys.attendee(attendee.attendeeId), JSON.stringify(attendee));
  }

  async saveBadge(badge: StoredBadge): Promise<void> {
    await this.redis.set(this.keys.badge(badge.badgeId), JSON.stringify(badge));
  }

  async forgetAttendee(attendee: Attendee): Promise<void> {
    await this.redis.del(this.keys.attendee(attendee.attendeeId));
    await this.releaseEmails([{ email: attendee.email, attendeeId: attendee.attendeeId }]);
  }

  attendee(attendeeId: string): Promise<Attendee | null> {
    return getJson(this.redis, this.keys.attendee(attendeeId));
  }

  badge(badgeId: string): Promise<StoredBadge | null> {
    return getJson(this.redis, this.keys.badge(badgeId));
  }

  exhibitor(exhibitorId: string): Promise<Exhibitor | null> {
    return getJson(this.redis, this.keys.exhibitor(exhibitorId));
  }

  async saveExhibitor(exhibitor: Exhibitor): Promise<void> {
    const pipeline = this.redis.pipeline().set(this.keys.exhibitor(exhibitor.exhibitorId), JSON.stringify(exhibitor));
    if (exhibitor.keyHash) pipeline.set(this.keys.exhibitorKey(exhibitor.keyHash), exhibitor.exhibitorId);
    await this.exec(pipeline);
  }

  delegation(delegationId: string): Promise<Delegation | null> {
    return getJson(this.redis, this.keys.delegation(delegationId));
  }

  async saveDelegation(delegation: Delegation): Promise<void> {
    await this.redis.set(this.keys.delegation(delegation.delegationId), JSON.stringify(delegation));
  }

  private async exec(pipeline: ReturnType<RedisClient['pipeline']>): Promise<void> {
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }
}
