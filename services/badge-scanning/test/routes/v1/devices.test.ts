import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, asDevice, defineVenue, ops, scanBody, setupScanning, type TestScanning } from '../../helper.ts';

let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;

beforeAll(async () => {
  t = await setupScanning('devices');
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-3', parentId: 'necc', capacity: 800, antiPassback: 'strict' },
  ]);
});
afterAll(async () => t.close());

describe('scanner devices', () => {
  it('sync gives an offline scanner keys, revocations since its cursor and its zone rules', async () => {
    const first = await t.app.inject({ url: '/v1/devices/sync', headers: asDevice(devices['hall-3']!) });
    expect(first.statusCode).toBe(200);
    const bundle = first.json<{ keys: Array<{ kid: string }>; revocations: unknown[]; cursor: string; zone: unknown; gate: unknown; eventId: string }>();
    expect(
      bundle.keys.map((k) => k.kid),
      JSON.stringify(bundle),
    ).toEqual([t.keyRing.current.kid]);
    expect(bundle.gate).toEqual({ gateId: 'gate-hall-3', zoneId: 'hall-3' });
    expect(bundle.zone).toMatchObject({ zoneId: 'hall-3', parentId: 'necc', capacity: 800, antiPassback: 'strict' });
    expect(bundle.eventId).toBe(t.names.expoId);
    const badge = await t.issueBadge();
    await t.revoke(badge);
    const sync = async () =>
      (await t.app.inject({ url: `/v1/devices/sync?since=${bundle.cursor}`, headers: asDevice(devices['hall-3']!) })).json<{
        revocations: Array<{ badgeId: string }>;
        cursor: string;
      }>();
    await expect.poll(async () => (await sync()).revocations.map((r) => r.badgeId), { timeout: 10_000 }).toEqual([badge.badgeId]);
    const next = await sync();
    const none = (await t.app.inject({ url: `/v1/devices/sync?since=${next.cursor}`, headers: asDevice(devices['hall-3']!) })).json<{
      revocations: unknown[];
    }>();
    expect(none.revocations).toEqual([]);
    expect((await t.app.inject({ url: '/v1/devices/sync', headers: admin })).statusCode).toBe(403);
  });

  it('a rotated key replaces the old one at once, a revoked device is refused', async () => {
    const badge = await t.issueBadge();
    const created = await t.app.inject({ method: 'POST', url: '/v1/devices', headers: admin, payload: { gateId: 'gate-necc' } });
    expect(created.statusCode).toBe(201);
    const device = created.json<{ deviceId: string; deviceKey: string }>();
    const rotated = await t.app.inject({ method: 'POST', url: `/v1/devices/${device.deviceId}/rotate`, headers: admin });
    const fresh = rotated.json<{ deviceKey: string }>();
    expect(fresh.deviceKey).not.toBe(device.deviceKey);
    expect((await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(device), payload: scanBody(badge, 'in') })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(fresh), payload: scanBody(badge, 'in') })).json()).toMatchObject({
      decision: 'accepted',
    });
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/devices/${device.deviceId}`, headers: admin })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(fresh), payload: scanBody(badge, 'out') })).statusCode).toBe(401);
    const zones = (await t.app.inject({ url: '/v1/zones', headers: ops })).json<{
      zones: Array<{ gates: Array<{ devices?: Array<{ deviceId: string; active: boolean; keyHash: string }> }> }>;
    }>().zones;
    const stored = zones.flatMap((z) => z.gates.flatMap((g) => g.devices ?? [])).find((d) => d.deviceId === device.deviceId);
    expect(stored).toMatchObject({ active: false });
    expect(JSON.stringify(zones)).not.toContain(fresh.deviceKey);
  });

  it('keeps every gate and device when many are added to one zone at once', async () => {
    const gates = Array.from({ length: 12 }, (_, i) => `gate-rush-${i}`);
    const put = await Promise.all(
      gates.map((gateId) => t.app.inject({ method: 'PUT', url: `/v1/gates/${gateId}`, headers: admin, payload: { zoneId: 'hall-3' } })),
    );
    expect(put.map((r) => r.statusCode)).toEqual(gates.map(() => 200));
    const created = await Promise.all(gates.map((gateId) => t.app.inject({ method: 'POST', url: '/v1/devices', headers: admin, payload: { gateId } })));
    expect(created.map((r) => r.statusCode)).toEqual(gates.map(() => 201));
    const zone = (await t.app.inject({ url: '/v1/zones', headers: admin }))
      .json<{ zones: Array<{ zoneId: string; gates: Array<{ gateId: string; devices?: unknown[] }> }> }>()
      .zones.find((z) => z.zoneId === 'hall-3')!;
    for (const gateId of gates) expect(zone.gates.find((g) => g.gateId === gateId)?.devices).toHaveLength(1);
  });

  it('validates zones: unknown parent and a cycle are 400 with details; ops may not write', async () => {
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/v1/zones/x-1',
      headers: admin,
      payload: { name: 'X', kind: 'hall', parentId: 'nowhere', capacity: null, antiPassback: 'soft' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'parentId' }] } });
    const cycle = await t.app.inject({
      method: 'PUT',
      url: '/v1/zones/necc',
      headers: admin,
      payload: { name: 'NECC', kind: 'venue', parentId: 'hall-3', capacity: null, antiPassback: 'soft' },
    });
    expect(cycle.statusCode).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/v1/zones/x-2',
          headers: ops,
          payload: { name: 'X', kind: 'hall', parentId: null, capacity: null, antiPassback: 'soft' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/v1/zones/x-3',
          headers: admin,
          payload: { name: 'X', kind: 'hall', parentId: null, capacity: -1, antiPassback: 'sometimes' },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('streams occupancy changes to organiser staff as server-sent events', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/v1/occupancy/stream`, { headers: ops, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const badge = await t.issueBadge();
    await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices['necc']!), payload: scanBody(badge, 'in') });
    await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices['hall-3']!), payload: scanBody(badge, 'in') });
    const expected = (await t.app.inject({ url: '/v1/occupancy/hall-3', headers: ops })).json<{ occupancy: number }>().occupancy;
    const deadline = Date.now() + 5000;
    while (!text.includes(`"zoneId":"hall-3","name":"Zone hall-3","occupancy":${expected}`) && Date.now() < deadline) {
      const { value } = (await reader.read()) as { value?: Uint8Array };
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('event: occupancy');
    expect(text).toContain(`"zoneId":"hall-3","name":"Zone hall-3","occupancy":${expected}`);
  });

  it('ends an open occupancy stream when the service shuts down, so the dashboard reconnects to another instance', async () => {
    const other = await t.instance();
    const address = await other.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/v1/occupancy/stream`, { headers: ops });
    const reader = res.body!.getReader();
    const first = (await reader.read()) as { value?: Uint8Array };
    expect(new TextDecoder().decode(first.value)).toContain('retry:');
    const closed = other.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    await closed;
    expect(done).toBe(true);
  });
});
