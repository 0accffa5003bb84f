import { createHash } from 'node:crypto';
import { AppError, idempotencyConflict } from '@expo/service-kit';
import type { RegistrationStore } from './registration-store.ts';

interface IdempotencyRecord {
  readonly state: 'pending' | 'done';
  readonly bodyHash: string;
  readonly status?: number;
  readonly body?: unknown;
}

export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

export function bodyHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * `Idempotency-Key` handling: the same key and body answer the first answer again and change
 * nothing; the same key with another body is 409 `idempotency_conflict`; a retry while the first
 * request is still running is 409 too (it will have an answer moments later).
 */
export class Idempotency {
  constructor(
    private readonly store: RegistrationStore,
    private readonly ttlSeconds: number,
  ) {}

  /** Claims the key (null: go ahead) or returns the answer to repeat. */
  async begin(key: string, hash: string): Promise<StoredAnswer | null> {
    const raw = await this.store.runScript<string | null>('idempotency-begin', [this.store.keys.idempotency(key)], [hash, this.ttlSeconds]);
    if (raw === null) return null;
    const record = JSON.parse(raw) as IdempotencyRecord;
    if (record.bodyHash !== hash) throw idempotencyConflict('This Idempotency-Key was used with another request body');
    if (record.state === 'pending') throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed; retry shortly');
    return { status: record.status ?? 200, body: record.body };
  }

  async finish(key: string, hash: string, answer: StoredAnswer): Promise<void> {
    const record: IdempotencyRecord = { state: 'done', bodyHash: hash, status: answer.status, body: answer.body };
    await this.store.redis.set(this.store.keys.idempotency(key), JSON.stringify(record), 'EX', this.ttlSeconds);
  }

  /** The request failed without an answer worth repeating (e.g. Kafka down): a retry may run again. */
  async abandon(key: string): Promise<void> {
    await this.store.redis.del(this.store.keys.idempotency(key));
  }
}
