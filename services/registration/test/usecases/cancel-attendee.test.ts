import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishUnconfirmed } from '../../src/usecases/outbox.ts';
import { admin, attendeeBody, rebuildNow, recordsOf, registerHalfOnTheLog, setupRegistration } from '../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  // The outbox loop stays out of the way: the tests run its pass themselves, after the cancellation.
  reg = await setupRegistration('reg-cancel', { OUTBOX_INTERVAL_MS: '3600000' });
});
afterAll(() => reg.close());

/** A registration half on the log (badge.issued timed out), folded by a rebuild: its attendee is served, its badge waits in the outbox. */
async function halfOnTheLogAndRebuilt(): Promise<string> {
  const { attendee } = await registerHalfOnTheLog(reg.app, attendeeBody());
  await rebuildNow(reg.app, reg.names.expoId);
  expect(await reg.app.registration.store.outbox.size()).toBe(1);
  return attendee.attendeeId;
}

const lastAttendeeRecord = async (attendeeId: string) => (await recordsOf(reg.topics.attendees)).filter((r) => r.key === attendeeId).at(-1);

describe('ending a registration half on the log', () => {
  it('erasing it takes it out of the outbox: its attendee.registered is never written after the tombstone', async () => {
    const attendeeId = await halfOnTheLogAndRebuilt();
    expect((await reg.app.inject({ method: 'POST', url: `/v1/attendees/${attendeeId}/erase`, headers: admin })).statusCode).toBe(204);

    expect(await publishUnconfirmed(reg.app.registration, 0)).toBe(0);
    expect(await reg.app.registration.store.outbox.size()).toBe(0);
    expect(await lastAttendeeRecord(attendeeId)).toEqual({ key: attendeeId, event: null });
    expect(await reg.app.registration.store.attendee(attendeeId)).toBeNull();
  });

  it('cancelling it takes it out of the outbox: the attendee stays cancelled on the log', async () => {
    const attendeeId = await halfOnTheLogAndRebuilt();
    expect((await reg.app.inject({ method: 'DELETE', url: `/v1/attendees/${attendeeId}`, headers: admin })).statusCode).toBe(200);

    expect(await publishUnconfirmed(reg.app.registration, 0)).toBe(0);
    expect(await reg.app.registration.store.outbox.size()).toBe(0);
    expect((await lastAttendeeRecord(attendeeId))?.event).toMatchObject({ type: 'attendee.cancelled', data: { status: 'cancelled' } });
    expect(await reg.app.registration.store.attendee(attendeeId)).toMatchObject({ status: 'cancelled' });
  });
});
