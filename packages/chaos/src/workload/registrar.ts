import { randomUUID } from 'node:crypto';
import type { Journal } from '../journal.ts';
import { FailoverClient, type FailoverOptions } from './failover-client.ts';

export interface RegistrarOptions {
  readonly urls: readonly string[];
  readonly journal: Journal;
  readonly signal: AbortSignal;
  /** Registrations per second. */
  readonly rate: number;
  /** Every n-th registration repeats an e-mail registered before (with a key of its own): 409 expected. */
  readonly duplicateEvery: number;
  readonly failover?: FailoverOptions;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * People registering on the public route while the platform is under faults: each registration
 * has an `Idempotency-Key` its retries repeat (on the other instance when one goes unanswered),
 * and some repeat an e-mail registered before, as a second form sent by the same person would.
 */
export async function runRegistrar(options: RegistrarOptions): Promise<void> {
  const client = new FailoverClient(options.urls, { ...options.failover, signal: options.signal });
  const registered: string[] = [];
  for (let n = 1; !options.signal.aborted; n++) {
    const repeat = n % options.duplicateEvery === 0 && registered.length > 0;
    const email = repeat ? registered[n % registered.length]! : `chaos.${randomUUID()}@example.org`;
    const idempotencyKey = randomUUID();
    const body = { category: 'professional_visitor', name: `Chaos Visitor ${n}`, email, country: 'CN', consent: true };
    const answer = await client.request<{ attendeeId?: string; error?: { details?: Array<{ attendeeId?: string }> } }>('POST', '/v1/attendees', {
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });
    const status = answer.status !== null && answer.status < 500 ? answer.status : null;
    const attendeeId = answer.body?.attendeeId ?? answer.body?.error?.details?.find((d) => d.attendeeId)?.attendeeId ?? null;
    options.journal.registrations.push({
      idempotencyKey,
      email,
      status,
      attendeeId: status === 201 || status === 409 ? attendeeId : null,
      attempts: answer.attempts,
      answeredAtMs: Date.now(),
    });
    if (status === 201 && !repeat) registered.push(email);
    await sleep(1000 / options.rate);
  }
}
