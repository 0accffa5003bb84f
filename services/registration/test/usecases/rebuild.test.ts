import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, keysMatching } from '@expo/testkit';
import { publishUnconfirmed } from '../../src/usecases/outbox.ts';
import { admin, attendeeBody, rebuildNow, recordsOf, registerHalfOnTheLog, registerUnconfirmed, setupRegistration, withSendsTimingOut } from '../helper.ts';

const redis = connectRedis();
let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  reg = await setupRegistration('reg-rebuild');
});
afterAll(async () => {
  await reg.close();
  await redis.quit();
});

/** Registration's state of the test's expo, parsed, without idempotency records and rate counters. */
async function entityState(expoId: string): Promise<Record<string, unknown>> {
  const keys = (await keysMatching(redis, `{${expoId}}:reg:*`)).filter((k) => !/:reg:(idem|rate|state)/.test(k)).sort();
  const values = keys.length > 0 ? await redis.mget(...keys) : [];
  return Object.fromEntries(keys.map((k, i) => [k, values[i]!.startsWith('{') ? JSON.parse(values[i]!) : values[i]]));
}

describe('rebuilding registration state from the topics', () => {
  it('after Redis lost the expo, a restarted instance rebuilds exactly the live state', async () => {
    const app = reg.app;
    const exhibitor = await app.inject({
      method: 'POST',
      url: '/v1/exhibitors',
      headers: admin,
      payload: {
        name: 'Savanna Coffee',
        country: 'ET',
        sectors: ['food'],
        hall: '1.1',
        booth: 'A12',
        leastDevelopedCountry: true,
        products: [{ name: 'Yirgacheffe beans', sectors: ['food'], debut: true }],
      },
    });
    expect(exhibitor.statusCode).toBe(201);
    const delegation = await app.inject({
      method: 'POST',
      url: '/v1/delegations',
      headers: admin,
      payload: { name: 'Jiangsu Buyers', kind: 'government', country: 'CN', subGroups: [{ name: 'Coffee', interests: ['food'] }] },
    });
    expect(delegation.statusCode).toBe(201);
    const ids = [];
    for (let i = 0; i < 12; i++)
      ids.push(
        (await app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody({ name: `Visitor ${i}`, nameLocal: '访客' }) })).json<{
          attendeeId: string;
        }>().attendeeId,
      );
    await app.inject({ method: 'DELETE', url: `/v1/attendees/${ids[0]}`, headers: admin });
    await app.inject({ method: 'POST', url: `/v1/attendees/${ids[1]}/erase`, headers: admin });

    const live = await entityState(reg.names.expoId);
    expect(Object.keys(live).length).toBeGreaterThan(30);
    const all = await keysMatching(redis, `{${reg.names.expoId}}:*`);
    await redis.del(...all);

    const restarted = await reg.instance();
    expect(await entityState(reg.names.expoId)).toEqual(live);
    const fetched = await restarted.inject({ url: `/v1/attendees/${ids[5]}`, headers: admin });
    expect(fetched.json()).toMatchObject({ attendeeId: ids[5], name: 'Visitor 5' });
    const duplicate = await restarted.inject({
      method: 'POST',
      url: '/v1/attendees',
      payload: attendeeBody({ email: fetched.json<{ email: string }>().email }),
    });
    expect(duplicate.statusCode).toBe(409);
  });
});

describe('a rebuild with registrations in the outbox', () => {
  let held: Awaited<ReturnType<typeof setupRegistration>>;
  beforeAll(async () => {
    // The outbox loop stays out of the way: the tests write the outbox themselves.
    held = await setupRegistration('reg-rebuild-outbox', { OUTBOX_INTERVAL_MS: '3600000' });
  });
  afterAll(() => held.close());

  it('an erased registration still in the outbox is dropped, not reserved again nor written again', async () => {
    const { app, topics } = held;
    const body = attendeeBody();
    // Both records land but their acknowledgement is lost: the registration stays in the outbox.
    const registration = await registerUnconfirmed(withSendsTimingOut(app.registration, [topics.attendees, topics.badges], 'lands'), body);
    const { attendeeId } = registration.attendee;
    // An erasure's tombstone follows it on the log (as eraseAttendee writes it).
    await app.producer.sendTombstone(topics.attendees, attendeeId);

    await rebuildNow(app, held.names.expoId);

    expect(await app.registration.store.outbox.size()).toBe(0);
    expect(await publishUnconfirmed(app.registration, 0)).toBe(0);
    expect((await recordsOf(topics.attendees)).filter((r) => r.key === attendeeId).at(-1)).toEqual({ key: attendeeId, event: null });
    const again = await app.inject({ method: 'POST', url: '/v1/attendees', payload: body });
    expect(again.statusCode).toBe(201);
    expect(again.json<{ attendeeId: string }>().attendeeId).not.toBe(attendeeId);
  });

  it('a registration half on the log (attendee acknowledged, badge timed out) stays in the outbox, which writes its badge', async () => {
    const { app, topics } = held;
    const { attendee, badge } = await registerHalfOnTheLog(app, attendeeBody());

    await rebuildNow(app, held.names.expoId);
    expect(await app.registration.store.attendee(attendee.attendeeId)).toMatchObject({ attendeeId: attendee.attendeeId, status: 'active' });
    expect(await app.registration.store.badge(badge.badgeId)).toBeNull();
    expect(await app.registration.store.outbox.size()).toBe(1);

    expect(await publishUnconfirmed(app.registration, 0)).toBe(1);
    expect(await app.registration.store.badge(badge.badgeId)).toMatchObject({ badgeId: badge.badgeId, attendeeId: attendee.attendeeId, status: 'active' });
    expect((await recordsOf(topics.badges)).filter((r) => r.key === badge.badgeId).map((r) => r.event?.type)).toEqual(['badge.issued']);
    expect(await app.registration.store.outbox.size()).toBe(0);
  });
});
