import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bodyHash } from '../../src/store/idempotency.ts';
import { attendeeBody, registerUnconfirmed, setupRegistration, withSendsTimingOut } from '../helper.ts';

const PENDING_TTL_SECONDS = 2;
let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  reg = await setupRegistration('reg-idem', { IDEMPOTENCY_PENDING_TTL_SECONDS: String(PENDING_TTL_SECONDS), OUTBOX_INTERVAL_MS: '3600000' });
});
afterAll(() => reg.close());

const register = (body: object, key?: string) =>
  reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers: key ? { 'idempotency-key': key } : {} });

/** A request that claimed the key and then died (its process, or Redis under it): no finish, no abandon. */
async function diedAfterBegin(key: string, body: object): Promise<void> {
  expect(await reg.app.idempotency.begin(key, bodyHash(body))).toBeNull();
}

describe('an Idempotency-Key whose first request is still in progress', () => {
  it('a retry answers 409 with Retry-After: 1 and a detail naming the key, unlike the duplicate-email 409', async () => {
    const body = attendeeBody();
    const key = `running-${reg.names.suffix}`;
    await diedAfterBegin(key, body);

    const retry = await register(body, key);
    expect(retry.statusCode).toBe(409);
    expect(retry.headers['retry-after']).toBe('1');
    expect(retry.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'headers.idempotency-key', message: 'in progress' }] } });

    const other = attendeeBody();
    expect((await register(other)).statusCode).toBe(201);
    const duplicate = await register(other);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['retry-after']).toBeUndefined();
    expect(duplicate.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'body.email', message: 'already registered' }] } });
  });
});

describe('an Idempotency-Key left pending by a request that died', () => {
  it('stays pending only for the short pending TTL, not the key TTL: the retry then runs and answers 201', async () => {
    const body = attendeeBody();
    const key = `died-${reg.names.suffix}`;
    await diedAfterBegin(key, body);
    expect(await reg.app.redis.ttl(reg.app.registration.store.keys.idempotency(key))).toBeLessThanOrEqual(PENDING_TTL_SECONDS);
    expect((await register(body, key)).statusCode).toBe(409);

    const retry = await vi.waitFor(
      async () => {
        const res = await register(body, key);
        expect(res.statusCode).not.toBe(409);
        return res;
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(retry.statusCode).toBe(201);
    expect((await register(body, key)).json()).toEqual(retry.json());
  });

  it('whose registration was kept: the retry then answers 409 naming that attendee', async () => {
    const deps = reg.app.registration;
    const body = attendeeBody();
    const key = `died-kept-${reg.names.suffix}`;
    await diedAfterBegin(key, body);
    const kept = await registerUnconfirmed(withSendsTimingOut(deps, [deps.topics.attendees, deps.topics.badges], 'lost'), body);

    const retry = await vi.waitFor(
      async () => {
        const res = await register(body, key);
        expect(res.json()).not.toMatchObject({ error: { details: [{ path: 'headers.idempotency-key' }] } });
        return res;
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(retry.statusCode).toBe(409);
    expect(retry.json()).toMatchObject({ error: { details: [{ path: 'body.email', attendeeId: kept.attendee.attendeeId }] } });
  });
});
