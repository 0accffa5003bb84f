import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import type { BadgePublicJwk, BadgeRevocationEntry } from '@expo/schemas';
import type { ScanningKeys } from './keys.ts';
import { decodeRevokeReply, encodeRevokeArgs } from './revoke-codec.ts';

/** What a gate shows of an attendee (the display name never leaves this service). */
export interface PersonRecord {
  readonly name: string;
  readonly country: string;
  readonly interests: readonly string[];
}

const PEOPLE_PER_WRITE = 5000;

function personJson(displayName: string, country: string): string {
  return JSON.stringify({ n: displayName, c: country });
}

/**
 * What badge-scanning keeps of registration's topics: revoked badges (with the order devices sync
 * them in), the display details a gate shows, published badge keys, exhibitor key hashes.
 * Every write is idempotent, so a record applied twice (a consumer restart) changes nothing.
 */
export class RegistryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptRunner,
    private readonly keys: ScanningKeys,
  ) {}

  async revoke(badgeId: string, revokedAt: string): Promise<void> {
    const k = this.keys;
    decodeRevokeReply(await this.scripts.run('revoke', [k.revoked(), k.revocationSeq(), k.revocationLog()], encodeRevokeArgs({ badgeId, revokedAt })));
  }

  /** Revocations after a cursor (the sequence last seen), oldest first, and the next cursor. */
  async revocationsSince(cursor: number, limit: number): Promise<{ entries: BadgeRevocationEntry[]; cursor: number }> {
    const raw = await this.redis.zrangebyscore(this.keys.revocationLog(), `(${cursor}`, '+inf', 'WITHSCORES', 'LIMIT', 0, limit);
    const entries: BadgeRevocationEntry[] = [];
    let next = cursor;
    for (let i = 0; i < raw.length; i += 2) {
      entries.push(JSON.parse(raw[i] ?? '{}') as BadgeRevocationEntry);
      next = Number(raw[i + 1]);
    }
    return { entries, cursor: next };
  }

  async isRevoked(badgeId: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.revoked(), badgeId)) === 1;
  }

  async putPerson(attendeeId: string, displayName: string, country: string, interests: readonly string[]): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.people(), attendeeId, personJson(displayName, country))
      .hset(this.keys.interests(), attendeeId, interests.join(','))
      .exec();
  }

  /**
   * Many people at once, into a state being rebuilt (their keys were cleared first): a few large
   * writes instead of one transaction per person. `beforeEachWrite` renews the rebuild's lease.
   */
  async putPeople(people: ReadonlyMap<string, PersonRecord>, beforeEachWrite: () => Promise<void>): Promise<void> {
    const entries = [...people];
    for (let i = 0; i < entries.length; i += PEOPLE_PER_WRITE) {
      const chunk = entries.slice(i, i + PEOPLE_PER_WRITE);
      await beforeEachWrite();
      await this.redis
        .multi()
        .hset(this.keys.people(), Object.fromEntries(chunk.map(([id, p]) => [id, personJson(p.name, p.country)])))
        .hset(this.keys.interests(), Object.fromEntries(chunk.map(([id, p]) => [id, p.interests.join(',')])))
        .exec();
    }
  }

  async person(attendeeId: string): Promise<{ n?: string; c?: string; interests: string[] } | null> {
    const [json, interests] = await Promise.all([this.redis.hget(this.keys.people(), attendeeId), this.redis.hget(this.keys.interests(), attendeeId)]);
    if (!json) return null;
    return { ...(JSON.parse(json) as { n?: string; c?: string }), interests: interests ? interests.split(',').filter(Boolean) : [] };
  }

  async erasePerson(attendeeId: string): Promise<void> {
    await this.redis.multi().hdel(this.keys.people(), attendeeId).hdel(this.keys.interests(), attendeeId).exec();
  }

  async putBadgeKey(jwk: BadgePublicJwk): Promise<void> {
    await this.redis.hset(this.keys.badgeKeys(), jwk.kid, JSON.stringify(jwk));
  }

  async badgeKeys(): Promise<BadgePublicJwk[]> {
    return Object.values(await this.redis.hgetall(this.keys.badgeKeys())).map((json) => JSON.parse(json) as BadgePublicJwk);
  }

  /** The exhibitor's current key hash; a rotated-out hash stops working (kept under `x:<id>`). */
  async putExhibitorKey(exhibitorId: string, keyHash: string | undefined): Promise<void> {
    const k = this.keys.exhibitorKeys();
    const previous = await this.redis.hget(k, `x:${exhibitorId}`);
    const tx = this.redis.multi();
    if (previous && previous !== keyHash) tx.hdel(k, previous);
    if (keyHash) tx.hset(k, keyHash, exhibitorId, `x:${exhibitorId}`, keyHash);
    else tx.hdel(k, `x:${exhibitorId}`);
    await tx.exec();
  }

  async exhibitorByKeyHash(keyHash: string): Promise<string | null> {
    return this.redis.hget(this.keys.exhibitorKeys(), keyHash);
  }
}
