import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishUnconfirmed } from '../../src/usecases/outbox.ts';
import { admin, attendeeBody, registerUnconfirmed, setupRegistration, withSendsTimingOut } from '../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  // The outbox loop stays out of the way: each test writes the outbox itself, as an instance would.
  reg = await setupRegistration('reg-outbox', { OUTBOX_INTERVAL_MS: '3600000' });
});
afterAll(() => reg.close());

describe('confirming registrations the outbox held', () => {
  it('a late confirm after the attendee was erased does not bring it back: no attendee, badge stays revoked, e-mail stays free', async () => {
    const deps = reg.app.registration;
    const body = attendeeBody();
    // Instance A's request: its writes time out, the registration stays in the outbox.
    const registration = await registerUnconfirmed(withSendsTimingOut(deps, [deps.topics.attendees, deps.topics.badges], 'lost'), body);
    const { attendeeId, badgeId } = registration.attendee;
    // Instance B's outbox loop writes it again: acknowledged and confirmed.
    expect(await publishUnconfirmed(deps, 0)).toBe(1);
    expect((await reg.app.inject({ url: `/v1/attendees/${attendeeId}`, headers: admin })).statusCode).toBe(200);
    // The client erases the attendee.
    expect((await reg.app.inject({ method: 'POST', url: `/v1/attendees/${attendeeId}/erase`, headers: admin })).statusCode).toBe(204);

    // A's acknowledgement arrives late and A confirms the registration it wrote.
    await deps.store.outbox.confirm([registration]);

    expect((await reg.app.inject({ url: `/v1/attendees/${attendeeId}`, headers: admin })).statusCode).toBe(404);
    expect(await deps.store.badge(badgeId)).toMatchObject({ badgeId, status: 'revoked' });
    const again = await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body });
    expect(again.statusCode).toBe(201);
    expect(again.json<{ attendeeId: string }>().attendeeId).not.toBe(attendeeId);
  });
});
