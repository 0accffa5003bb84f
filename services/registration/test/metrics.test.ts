import { metricValue, promtoolCheckMetrics } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishUnconfirmed } from '../src/usecases/outbox.ts';
import { admin, attendeeBody, registerUnconfirmed, setupRegistration, withSendsTimingOut } from './helper.ts';

let reg: Awaited<ReturnType<typeof setupRegistration>>;
beforeAll(async () => {
  // The outbox loop stays out of the way: the test writes the outbox itself.
  reg = await setupRegistration('metrics', { OUTBOX_INTERVAL_MS: '3600000' });
});
afterAll(() => reg.close());

const scrape = async () => (await reg.app.inject('/metrics')).body;
const registered = async (category: string) => metricValue(await scrape(), 'registrations_total', { category });

describe('registration /metrics', () => {
  it('counts registrations by category, once each, and passes promtool', async () => {
    expect(await registered('media')).toBe(0);
    const visitor = attendeeBody();
    expect((await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: visitor })).statusCode).toBe(201);
    expect((await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: attendeeBody({ category: 'media' }), headers: admin })).statusCode).toBe(201);
    // The same e-mail again: refused, not counted.
    expect((await reg.app.inject({ method: 'POST', url: '/v1/attendees', payload: visitor })).statusCode).toBe(409);
    expect(await registered('professional_visitor')).toBe(1);
    expect(await registered('media')).toBe(1);

    // Kafka's answer lost: counted only when the outbox's write is acknowledged, and then once.
    const deps = reg.app.registration;
    await registerUnconfirmed(withSendsTimingOut(deps, [deps.topics.attendees, deps.topics.badges], 'lost'), attendeeBody({ category: 'buyer' }));
    expect(await registered('buyer')).toBe(0);
    expect(await publishUnconfirmed(deps, 0)).toBe(1);
    expect(await publishUnconfirmed(deps, 0)).toBe(0);
    expect(await registered('buyer')).toBe(1);

    const metrics = await scrape();
    expect(metricValue(metrics, 'service_ready')).toBe(1);
    expect(metricValue(metrics, 'state_rebuild_running')).toBe(0);
    expect(await promtoolCheckMetrics(metrics)).toEqual({ exitCode: 0, problems: [] });
  }, 60_000);
});
