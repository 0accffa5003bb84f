import { createHash } from 'node:crypto';
import { AppError, idempotencyConflict, type ErrorDetail } from '@expo/service-kit';
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

/** How long a client waits before retrying a key whose first request is still running. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/** Tells the 409 of a key still in progress from the 409 of an email already registered. */
const IN_PROGRESS: ErrorDetail = { path: 'headers.idempotency-key', message: 'in progress' };

export interface IdempotencyTtls {
  /** How long a key's answer (or unconfirmed registration) is remembered. */
  readonly ttlSeconds: number;
  /** How long a key stays pending when its request never records an end (a crash, a Redis failure). */
  readonly pendingTtlSeconds: number;
}

/**
 * `Idempotency-Key` handling: the same key and body answer the first answer again and change
 * nothing; the same key with another body is 409 `idempotency_conflict`; a retry while the first
 * request is still running is 409 too, with `Retry-After` and a detail naming the key (it will have
 * an answer moments later). A request that answered 503 with its registration kept (Kafka may have
 * its records) leaves the key `unconfirmed`: a retry resumes that registration instead of making
 * another attendee. A key stays pending for a short while only: a request that died leaves it to
 * its retry, which the email reservation answers with the same attendee.
 */
export class Idempotency {
  constructor(
    private readonly store: RegistrationStore,
    private readonly ttls: IdempotencyTtls,
  ) {}

  /** Claims the key (null: go ahead) or returns what an earlier request left. */
  async begin(key: string, hash: string): Promise<Earlier | null> {
    const raw = await this.store.runScript<string | null>('idempotency-begin', [this.store.keys.idempotency(key)], [hash, this.ttls.pendingTtlSeconds]);
    if (raw === null) return null;
    const record = JSON.parse(raw) as IdempotencyRecord;
    if (record.bodyHash !== hash) throw idempotencyConflict('This Idempotency-Key was used with another request body');
    if (record.state === 'pending') {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly', {
        details: [IN_PROGRESS],
        retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS,
      });
    }
    if (record.state === 'unconfirmed' && record.attendeeId) return { kind: 'unconfirmed', attendeeId: record.attendeeId };
    return { kind: 'answer', status: record.status ?? 200, body: record.body };
  }

  async finish(key: string, hash: string, answer: StoredAnswer): Promise<void> {
    const record: IdempotencyRecord = { state: 'done', bodyHash: hash, status: answer.status, body: answer.body };
    await this.store.redis.set(this.store.keys.idempotency(key), JSON.stringify(record), 'EX', this.ttls.ttlSeconds);
  }

  /** The request answered 503 but its registration is kept, its outcome unknown: a retry resumes it. */
  async unconfirmed(key: string, hash: string, attendeeId: string): Promise<void> {
    const record: IdempotencyRecord = { state: 'unconfirmed', bodyHash: hash, attendeeId };
    await this.store.redis.set(this.store.keys.idempotency(key), JSON.stringify(record), 'EX', this.ttls.ttlSeconds);
  }

  /** The request failed without an answer worth repeating and kept nothing (e.g. Kafka refused): a retry may run again. */
  async abandon(key: string): Promise<void> {
    await this.store.redis.del(this.store.keys.idempotency(key));
  }
}
