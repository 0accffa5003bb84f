import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBadgeVerifier } from '@expo/badges';
import { admin, attendeeBody, recordsOf, setupRegistration } from '../../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  reg = await setupRegistration('reg-attendees');
});
afterAll(() => reg.close());

const register = (body: object, headers: Record<string, string> = {}, app = reg.app) =>
  app.inject({ method: 'POST', url: '/v1/attendees', payload: body, headers });

describe('POST /v1/attendees', () => {
  it('registers, answers after Kafka acknowledged, and puts the snapshot and the badge on their topics', async () => {
    const body = attendeeBody({ nameLocal: '阿米娜', days: ['2024-11-06', '2024-11-05'] });
    const res = await register(body);
    expect(res.statusCode).toBe(201);
    const answer = res.json<{ attendeeId: string; badgeId: string; badgeToken: string; category: string }>();
    expect(answer.category).toBe('professional_visitor');

    const attendees = await recordsOf(reg.topics.attendees);
    const mine = attendees.filter((r) => r.key === answer.attendeeId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.event).toMatchObject({
      type: 'attendee.registered',
      eventId: reg.names.expoId,
      data: {
        attendeeId: answer.attendeeId,
        name: 'Amina Njoroge',
        nameLocal: '阿米娜',
        email: body.email,
        country: 'KE',
        days: ['2024-11-05', '2024-11-06'],
        badgeId: answer.badgeId,
        status: 'active',
      },
    });
    const badges = await recordsOf(reg.topics.badges);
    expect(badges.find((r) => r.key === answer.badgeId)?.event).toMatchObject({
      type: 'badge.issued',
      data: { badgeId: answer.badgeId, attendeeId: answer.attendeeId, validFrom: '2024-11-05', validTo: '2024-11-06', status: 'active' },
    });
    expect(JSON.stringify(badges)).not.toContain(body.email);

    const fetched = await reg.app.inject({ url: `/v1/attendees/${answer.attendeeId}`, headers: admin });
    expect(fetched.json()).toMatchObject({ attendeeId: answer.attendeeId, status: 'active' });
  });

  it('issues a token the shared verifier accepts with the published keys, and rejects with one byte changed', async () => {
    const res = await register(attendeeBody({ days: ['2024-11-07'] }));
    const { badgeToken, badgeId } = res.json<{ badgeToken: string; badgeId: string }>();
    const keys = (await reg.app.inject({ url: '/v1/badge-keys' })).json<{ keys: unknown[] }>();
    const verifier = createBadgeVerifier({ keys: keys as never, expoId: reg.names.expoId });

    const ok = await verifier.verify(badgeToken, { at: '2024-11-07T09:00:00+08:00' });
    expect(ok).toMatchObject({ ok: true, payload: { bid: badgeId, eid: reg.names.expoId, from: '2024-11-07', to: '2024-11-07' } });
    const i = 10;
    const tampered = badgeToken.slice(0, i) + (badgeToken[i] === 'A' ? 'B' : 'A') + badgeToken.slice(i + 1);
    expect(await verifier.verify(tampered, { at: '2024-11-07T09:00:00+08:00' })).toMatchObject({ ok: false, reason: 'invalid_token' });
  });

  it('keeps one email per expo across two instances under 50 concurrent registrations', async () => {
    const second = await reg.instance();
    const body = attendeeBody();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => register(body, {}, i % 2 === 0 ? reg.app : second)));

    const created = answers.filter((a) => a.statusCode === 201);
    expect(created).toHaveLength(1);
    const attendeeId = created[0]!.json<{ attendeeId: string }>().attendeeId;
    const conflicts = answers.filter((a) => a.statusCode === 409);
    expect(conflicts).toHaveLength(49);
    for (const c of conflicts) expect(c.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'body.email', attendeeId }] } });
    const records = (await recordsOf(reg.topics.attendees)).filter((r) => r.event?.data.email === body.email);
    expect(records).toHaveLength(1);
  });

  it('answers a retry with the same Idempotency-Key and body the same, registering once; another body is 409', async () => {
    const body = attendeeBody();
    const key = `idem-${reg.names.suffix}`;
    const first = await register(body, { 'idempotency-key': key });
    const again = await register(body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');

    const other = await register({ ...body, name: 'Someone Else' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ error: { code: 'idempotency_conflict' } });
    const records = (await recordsOf(reg.topics.attendees)).filter((r) => r.event?.data.email === body.email);
    expect(records).toHaveLength(1);
  });

  it('cancels: the badge is revoked on the badges topic and the attendee reads cancelled', async () => {
    const { attendeeId, badgeId } = (await register(attendeeBody())).json<{ attendeeId: string; badgeId: string }>();
    const res = await reg.app.inject({ method: 'DELETE', url: `/v1/attendees/${attendeeId}`, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ attendeeId, status: 'cancelled' });
    const badge = (await recordsOf(reg.topics.badges)).filter((r) => r.key === badgeId).at(-1);
    expect(badge?.event).toMatchObject({ type: 'badge.revoked', data: { badgeId, status: 'revoked', reason: 'attendee_cancelled' } });
  });

  it('erases: a tombstone on the attendees topic, the person gone from Redis, the badge stays revoked', async () => {
    const { attendeeId, badgeId } = (await register(attendeeBody())).json<{ attendeeId: string; badgeId: string }>();
    expect((await reg.app.inject({ method: 'POST', url: `/v1/attendees/${attendeeId}/erase`, headers: admin })).statusCode).toBe(204);
    expect((await reg.app.inject({ url: `/v1/attendees/${attendeeId}`, headers: admin })).statusCode).toBe(404);
    const last = (await recordsOf(reg.topics.attendees)).filter((r) => r.key === attendeeId).at(-1);
    expect(last).toEqual({ key: attendeeId, event: null });
    const badge = (await recordsOf(reg.topics.badges)).filter((r) => r.key === badgeId).at(-1);
    expect(badge?.event).toMatchObject({ type: 'badge.revoked', data: { reason: 'attendee_erased' } });
  });
});
