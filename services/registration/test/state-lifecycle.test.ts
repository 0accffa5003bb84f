import { DedicatedRedis, crashTheRebuilder, failOverToOlderCopy, flushAll, waitForReadiness } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { admin, attendeeBody, setupRegistration } from './helper.ts';

// Redis is a cache of the log: whatever happens to it, registration answers 503 (never 404) until
// its state is whole again, and then exactly what it answered before. Two instances each time.
let redis: DedicatedRedis;
beforeAll(async () => {
  redis = await DedicatedRedis.start();
}, 60_000);
afterAll(() => redis.close());

let closeAll: (() => Promise<void>) | undefined;
afterEach(async () => closeAll?.());

interface Seeded {
  readonly one: ServiceApp;
  readonly two: ServiceApp;
  readonly attendees: Array<{ attendeeId: string; email: string; badgeId: string }>;
  readonly exhibitorId: string;
}

async function seeded(label: string): Promise<Seeded> {
  const reg = await setupRegistration(label, { REDIS_URL: redis.url });
  closeAll = () => reg.close();
  const two = await reg.instance();
  const attendees = [];
  for (let i = 0; i < 5; i++) {
    const body = attendeeBody({ name: `Visitor ${i}` });
    const res = await (i % 2 ? two : reg.app).inject({ method: 'POST', url: '/v1/attendees', payload: body });
    expect(res.statusCode).toBe(201);
    attendees.push({ ...res.json<{ attendeeId: string; badgeId: string }>(), email: body.email });
  }
  const exhibitor = await reg.app.inject({
    method: 'POST',
    url: '/v1/exhibitors',
    headers: admin,
    payload: { name: 'Savanna Coffee', country: 'ET', sectors: ['food'], hall: '1.1', booth: 'A12', products: [{ name: 'Beans', sectors: ['food'] }] },
  });
  expect(exhibitor.statusCode).toBe(201);
  return { one: reg.app, two, attendees, exhibitorId: exhibitor.json<{ exhibitorId: string }>().exhibitorId };
}

/** What a caller reads: every attendee, its badge and the exhibitor, as JSON. */
async function reads(app: ServiceApp, s: Seeded): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const a of s.attendees) {
    out.push((await app.inject({ url: `/v1/attendees/${a.attendeeId}`, headers: admin })).json());
    out.push((await app.inject({ url: `/v1/badges/${a.badgeId}/badge.svg`, headers: admin })).statusCode);
  }
  out.push((await app.inject({ url: `/v1/exhibitors/${s.exhibitorId}`, headers: admin })).json());
  return out;
}

/** Within 5 s every state route of both instances answers 503 with Retry-After, never 404. */
async function expectFenced(s: Seeded): Promise<void> {
  for (const app of [s.one, s.two]) {
    expect(await waitForReadiness(app, 503, 5000)).toBeLessThan(5000);
    const res = await app.inject({ url: `/v1/attendees/${s.attendees[0]!.attendeeId}`, headers: admin });
    if (res.statusCode === 200) continue; // already rebuilt by the other instance
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
  }
  expect((await s.one.inject('/v1/badge-keys')).statusCode).toBe(200);
}

async function expectHealed(s: Seeded, before: unknown[]): Promise<void> {
  for (const app of [s.one, s.two]) {
    await waitForReadiness(app, 200);
    expect(await reads(app, s)).toEqual(before);
    const duplicate = await app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody({ email: s.attendees[2]!.email }) });
    expect(duplicate.statusCode).toBe(409);
  }
}

describe('registration state lifecycle', () => {
  it('FLUSHALL: fenced within 5 s, rebuilt, every read as before and a duplicate email refused', async () => {
    const s = await seeded('reg-state-flush');
    const before = await reads(s.one, s);
    await flushAll(redis);
    // Before any probe: a lookup is refused rather than answered 404, and the email reservation
    // script refuses to write into the emptied Redis.
    expect((await s.one.inject({ url: `/v1/attendees/${s.attendees[0]!.attendeeId}`, headers: admin })).statusCode).toBe(503);
    const duplicate = await s.two.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody({ email: s.attendees[1]!.email }) });
    expect(duplicate.statusCode).toBe(503);
    await expectFenced(s);
    await expectHealed(s, before);
  }, 90_000);

  it('Redis restarted empty on the same port: the same', async () => {
    const s = await seeded('reg-state-restart');
    const before = await reads(s.one, s);
    await redis.restart();
    await expectFenced(s);
    await expectHealed(s, before);
  }, 90_000);

  it('failover to a copy that missed writes: detected as stale, rebuilt equal to the log', async () => {
    const s = await seeded('reg-state-stale');
    let late: { attendeeId: string; email: string; badgeId: string } | undefined;
    await failOverToOlderCopy(redis, async () => {
      const body = attendeeBody({ name: 'Late Visitor' });
      const res = await s.one.inject({ method: 'POST', url: '/v1/attendees', payload: body });
      expect(res.statusCode).toBe(201);
      late = { ...res.json<{ attendeeId: string; badgeId: string }>(), email: body.email };
    });
    s.attendees.push(late!);
    await expectFenced(s);
    await waitForReadiness(s.one, 200);
    expect((await s.one.inject({ url: `/v1/attendees/${late!.attendeeId}`, headers: admin })).json()).toMatchObject({ name: 'Late Visitor' });
    await expectHealed(s, await reads(s.one, s));
  }, 90_000);

  it('the instance holding the rebuild lease dies mid-rebuild: the other takes over and finishes', async () => {
    const s = await seeded('reg-state-takeover');
    const before = await reads(s.one, s);
    await flushAll(redis);
    const survivor = await crashTheRebuilder([s.one, s.two]);
    await waitForReadiness(survivor, 200);
    expect(await reads(survivor, s)).toEqual(before);
  }, 90_000);
});
