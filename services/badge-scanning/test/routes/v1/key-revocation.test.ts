import { generateKey, type GeneratedKey, type ServiceApp } from '@expo/service-kit';
import { metricValue } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { admin, asDevice, defineVenue, setupScanning, type TestScanning } from '../../helper.ts';

// Device and exhibitor keys are held only as hashes; a change on one instance must hold on every
// instance sharing the Redis, at the latest once an instance's key cache (KEY_CACHE_MS) expires.
let t: TestScanning;
let second: ServiceApp;

beforeAll(async () => {
  t = await setupScanning('key-revocation');
  second = await t.instance();
  await defineVenue(t.app, [{ zoneId: 'necc', parentId: null }]);
});
afterAll(async () => t.close());

const sync = (app: ServiceApp, key: { deviceKey: string }) => app.inject({ url: '/v1/devices/sync', headers: asDevice(key) }).then((r) => r.statusCode);
const leads = (app: ServiceApp, key: GeneratedKey) =>
  app.inject({ url: '/v1/leads', headers: { authorization: `Bearer ${key.key}` } }).then((r) => r.statusCode);

/** Polls until `status` answers `expected`; returns how long that took. */
async function within(status: () => Promise<number>, expected: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await vi.waitFor(
    async () => {
      const answered = await status();
      if (answered !== expected) throw new Error(`still ${answered}, not ${expected}, after ${timeoutMs} ms`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
  return Date.now() - started;
}

describe('device keys on two instances', () => {
  it('a revoked key answers 401 at once where it was revoked, and on the other instance within KEY_CACHE_MS', async () => {
    const device = (await t.app.inject({ method: 'POST', url: '/v1/devices', headers: admin, payload: { gateId: 'gate-necc' } })).json<{
      deviceId: string;
      deviceKey: string;
    }>();
    // Both instances have the key in their caches.
    expect([await sync(t.app, device), await sync(second, device)]).toEqual([200, 200]);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/devices/${device.deviceId}`, headers: admin })).statusCode).toBe(200);
    const revokedAt = Date.now();
    expect(await sync(t.app, device)).toBe(401);
    await within(() => sync(second, device), 401, 10_000);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(t.config.KEY_CACHE_MS + 1000);
    // An instance that never saw the key refuses it at once, and both keep refusing it.
    const third = await t.instance();
    expect([await sync(third, device), await sync(t.app, device), await sync(second, device)]).toEqual([401, 401, 401]);
    const failures = metricValue((await second.inject('/metrics')).body, 'auth_failures_total', { reason: 'unknown_key' });
    expect(failures).toBeGreaterThanOrEqual(1);
  });

  it('a rotated key works on both instances at once; the old one stops, on the other instance within KEY_CACHE_MS', async () => {
    const device = (await t.app.inject({ method: 'POST', url: '/v1/devices', headers: admin, payload: { gateId: 'gate-necc' } })).json<{
      deviceId: string;
      deviceKey: string;
    }>();
    expect([await sync(t.app, device), await sync(second, device)]).toEqual([200, 200]);
    const rotated = await second.inject({ method: 'POST', url: `/v1/devices/${device.deviceId}/rotate`, headers: admin });
    expect(rotated.statusCode).toBe(200);
    const fresh = rotated.json<{ deviceId: string; deviceKey: string }>();
    const rotatedAt = Date.now();
    expect(fresh).toMatchObject({ deviceId: device.deviceId });
    expect([await sync(second, fresh), await sync(t.app, fresh)]).toEqual([200, 200]);
    expect(await sync(second, device)).toBe(401);
    await within(() => sync(t.app, device), 401, 10_000);
    expect(Date.now() - rotatedAt).toBeLessThanOrEqual(t.config.KEY_CACHE_MS + 1000);
  });
});

describe('exhibitor keys, learnt from registration’s exhibitor snapshots, on two instances', () => {
  const exhibitor = <T extends 'exhibitor.registered' | 'exhibitor.updated'>(keyHash: string | undefined, type: T) => ({
    type,
    eventId: t.names.expoId,
    data: {
      exhibitorId: 'exh-rot',
      name: 'Andes Cacao SA',
      country: 'PE' as const,
      sectors: ['food' as const],
      hall: '1.1',
      booth: 'B-3',
      fortuneGlobal500: false,
      leastDevelopedCountry: false,
      products: [],
      ...(keyHash ? { keyHash } : {}),
      changed: ['name' as const],
    },
  });
  const applied = async (check: () => Promise<boolean>) => {
    await vi.waitFor(
      async () => {
        if (!(await check())) throw new Error('the exhibitor snapshot did not reach badge-scanning within 20 s');
      },
      { timeout: 20_000, interval: 25 },
    );
  };
  const holder = (key: GeneratedKey) => t.app.scanning.registry.exhibitorByKeyHash(key.hash);

  it('a rotated key works everywhere, the old one answers 401 everywhere; a snapshot without a key revokes it', async () => {
    const [first, next] = [generateKey('exh'), generateKey('exh')];
    await t.registration.send(t.topics.exhibitors, [exhibitor(first.hash, 'exhibitor.registered')]);
    await applied(async () => (await holder(first)) === 'exh-rot');
    expect([await leads(t.app, first), await leads(second, first)]).toEqual([200, 200]);

    await t.registration.send(t.topics.exhibitors, [exhibitor(next.hash, 'exhibitor.updated')]);
    await applied(async () => (await holder(first)) === null && (await holder(next)) === 'exh-rot');
    const rotatedAt = Date.now();
    expect([await leads(t.app, next), await leads(second, next)]).toEqual([200, 200]);
    await within(() => leads(t.app, first), 401, 10_000);
    await within(() => leads(second, first), 401, 10_000);
    expect(Date.now() - rotatedAt).toBeLessThanOrEqual(t.config.KEY_CACHE_MS + 1000);

    await t.registration.send(t.topics.exhibitors, [exhibitor(undefined, 'exhibitor.updated')]);
    await applied(async () => (await holder(next)) === null);
    const revokedAt = Date.now();
    await within(() => leads(t.app, next), 401, 10_000);
    await within(() => leads(second, next), 401, 10_000);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(t.config.KEY_CACHE_MS + 1000);
    expect([await leads(t.app, first), await leads(second, first)]).toEqual([401, 401]);
  });
});
