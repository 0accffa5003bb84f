import { createHash } from 'node:crypto';
import { AppError, idempotencyConflict } from '@expo/service-kit';
import type { RegistrationStore } from './registration-store.ts';

interface IdempotencyRecord {
  readonly state: 'pending' | 'done' | 'unconfirmed';
  readonly bodyHash: string;
  readonly status?: number;
  readonly body?: unknown;
  /** `unconfirmed`: the attendee the first request registered, whose records' fate was unknown. */
  readonly attendeeId?: string;
}

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What an earlier request with the key left: an answer to repeat, or a registration to resume. */
export type Earlier = ({ readonly kind: 'answer' } & StoredAnswer) | { readonly kind: 'unconfirmed'; readonly attendeeId: string };

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * `Idempotency-Key` handling: the same key and body answer the first answer again and change
 * nothing; the same key with another body is 409 `idempotency_conflict`; a retry while the first
 * request is still running is 409 too (it will have an answer moments later). A request that
 * answered 503 with its registration kept (Kafka may have its records) leaves the key
 * `unconfirmed`: a retry resumes that registration instead of making another attendee.
 */
export class Idempotency {
  constructor(
    private readonly store: RegistrationStore,
    private readonly ttlSeconds: number,
  ) {}

  /** Claims the key (null: go ahead) or returns what an earlier request left. */
  async begin(key: string, hash: string): Promise<Earlier | null> {
    const raw = await this.store.runScript<string | null>('idempotency-begin', [this.store.keys.idempotency(key)], [hash, this.ttlSeconds]);
    if (raw === null) return null;
    const record = JSON.parse(raw) as IdempotencyRecord;
    if (record.bodyHash !== hash) throw idempotencyConflict('This Idempotency-Key was used with another request body');
    if (record.state === 'pending') throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly');
    if (record.state === 'unconfirmed' && record.attendeeId) return { kind: 'unconfirmed', attendeeId: record.attendeeId };
    return { kind: 'answer', status: record.status ?? 200, body: record.body };
  }

  async finish(key: string, hash: string, answer: StoredAnswer): Promise<void> {
    const record: IdempotencyRecord = { state: 'done', bodyHash: hash, status: answer.status, body: answer.body };
    await this.store.redis.set(this.store.keys.idempotency(key), JSON.stringify(record), 'EX', this.ttlSeconds);
  }

  /** The request answered 503 but its registration is kept, its outcome unknown: a retry resumes it. */
  async unconfirmed(key: string, hash: string, attendeeId: string): Promise<void> {
    const record: IdempotencyRecord = { state: 'unconfirmed', bodyHash: hash, attendeeId };
    await this.store.redis.set(this.store.keys.idempotency(key), JSON.stringify(record), 'EX', this.ttlSeconds);
  }

  /** The request failed without an answer worth repeating and kept nothing (e.g. Kafka refused): a retry may run again. */
  async abandon(key: string): Promise<void> {
    await this.store.redis.del(this.store.keys.idempotency(key));
  }
}
