import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, attendeeBody, recordsOf, setupRegistration } from '../../helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
let delegationId: string;
beforeAll(async () => {
  reg = await setupRegistration('reg-bad-input');
  const delegation = await reg.app.inject({
    method: 'POST',
    url: '/v1/delegations',
    headers: admin,
    payload: {
      name: 'Kenya Trade Delegation',
      kind: 'government',
      country: 'KE',
      subGroups: [{ subGroupId: 'sg-tea', name: 'Tea and coffee', interests: ['food'] }],
    },
  });
  expect(delegation.statusCode).toBe(201);
  delegationId = delegation.json<{ delegationId: string }>().delegationId;
});
afterAll(() => reg.close());

const register = (body: object) => reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: body });

describe('bad input to POST /v1/attendees', () => {
  it.each([
    ['an unknown country code', { country: 'XX' }, 'body.country'],
    ['an unknown sector code', { interests: ['food', 'spaceships'] }, 'body.interests.1'],
    ['a missing consent', { consent: undefined }, 'body.consent'],
    ['an email that is not one', { email: 'not-an-email' }, 'body.email'],
    ['an unknown category', { category: 'tourist' }, 'body.category'],
  ])('rejects %s with 400 invalid_request and the field in details', async (_what, overrides, path) => {
    const res = await register(attendeeBody(overrides));
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: Array<{ path: string }> } }>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((d) => d.path)).toContain(path);
  });

  it('lists every problem of a body at once', async () => {
    const res = await register(attendeeBody({ country: 'XX', email: 'nope', consent: false }));
    expect(
      res
        .json<{ error: { details: Array<{ path: string }> } }>()
        .error.details.map((d) => d.path)
        .sort(),
    ).toEqual(['body.consent', 'body.country', 'body.email']);
  });

  it('rejects a delegation sub-group that does not exist, and accepts one that does', async () => {
    const bad = await register(attendeeBody({ category: 'buyer', delegationId, subGroupId: 'sg-nope' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'body.subGroupId' }] } });
    expect((await register(attendeeBody({ category: 'buyer', delegationId, subGroupId: 'sg-tea' }))).statusCode).toBe(201);
  });

  it('rejects an oversized body with 413', async () => {
    const res = await register(attendeeBody({ organisation: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('changes nothing: no record of any rejected registration reaches the topic', async () => {
    const email = `ghost.${reg.names.suffix}@example.com`;
    await register(attendeeBody({ email, country: 'XX' }));
    await register(attendeeBody({ email, consent: false }));
    const records = await recordsOf(reg.topics.attendees);
    expect(records.filter((r) => r.event?.data.email === email)).toEqual([]);
    expect((await register(attendeeBody({ email }))).statusCode).toBe(201);
  });

  it('rate-limits public registration per client with 429 and Retry-After', async () => {
    const limited = await setupRegistration('reg-rate', { REGISTRATION_RATE_LIMIT: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody() })).statusCode);
      expect(codes).toEqual([201, 201, 201, 429, 429]);
      const res = await limited.app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody() });
      expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
