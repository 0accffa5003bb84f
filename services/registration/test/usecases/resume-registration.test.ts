import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyHash } from '../../src/store/idempotency.ts';
import { attendeeBody, rebuildNow, recordsOf, registerHalfOnTheLog, setupRegistration } from '../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  // The outbox loop stays out of the way, so the retry is what finds the registration.
  reg = await setupRegistration('reg-resume', { OUTBOX_INTERVAL_MS: '3600000' });
});
afterAll(() => reg.close());

const register = (body: object, key: string) => reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers: { 'idempotency-key': key } });

/** A request whose attendee.registered was acknowledged and badge.issued timed out (503, key kept unconfirmed), then a rebuild. */
async function halfOnTheLogAndRebuilt(body: object, key: string) {
  const registration = await registerHalfOnTheLog(reg.app, body);
  await reg.app.idempotency.unconfirmed(key, bodyHash(body), registration.attendee.attendeeId);
  await rebuildNow(reg.app, reg.names.expoId);
  expect(await reg.app.registration.store.attendee(registration.attendee.attendeeId)).not.toBeNull();
  return registration;
}

describe('a retry with the Idempotency-Key of a registration half on the log', () => {
  it('writes its badge and answers 201 with the same attendee, not 409 with its own attendee', async () => {
    const body = attendeeBody();
    const key = `half-${reg.names.suffix}`;
    const { attendee, badge } = await halfOnTheLogAndRebuilt(body, key);

    const retry = await register(body, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ attendeeId: attendee.attendeeId, badgeId: badge.badgeId });
    expect((await recordsOf(reg.topics.badges)).filter((r) => r.key === badge.badgeId).map((r) => r.event?.type)).toEqual(['badge.issued']);
    expect(await reg.app.registration.store.badge(badge.badgeId)).toMatchObject({ status: 'active' });
    const replayed = await register(body, key);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.json()).toEqual(retry.json());
  });

  it('whose outbox entry is gone is not answered, nor remembered, as 409 naming its own attendee', async () => {
    const body = attendeeBody();
    const key = `half-gone-${reg.names.suffix}`;
    const { attendee } = await halfOnTheLogAndRebuilt(body, key);
    // Dropped meanwhile, as an instance still running the earlier outbox code did.
    await reg.app.registration.store.outbox.forget(attendee.attendeeId);

    const retry = await register(body, key);
    expect(retry.statusCode).toBe(503);
    expect(retry.headers['retry-after']).toBeDefined();
    const again = await register(body, key);
    expect(again.statusCode).toBe(503);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});
