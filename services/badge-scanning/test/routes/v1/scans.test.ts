import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDevice, defineVenue, ops, scanBody, scanRecords, setupScanning, type TestScanning } from '../../helper.ts';

let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;

beforeAll(async () => {
  t = await setupScanning('scans');
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null, antiPassback: 'soft' },
    { zoneId: 'hall-a', parentId: 'necc', antiPassback: 'soft' },
    { zoneId: 'hall-b', parentId: 'necc', antiPassback: 'soft' },
    { zoneId: 'small-room', parentId: 'necc', capacity: 50, kind: 'forum_room' },
    { zoneId: 'strict-hall', parentId: 'necc', antiPassback: 'strict' },
    { zoneId: 'vip', parentId: 'necc', kind: 'vip_lounge' },
  ]);
});
afterAll(async () => t.close());

const occupancyOf = async (zoneId: string) => (await t.app.inject({ url: `/v1/occupancy/${zoneId}`, headers: ops })).json<{ occupancy: number }>().occupancy;
const scan = (zoneId: string, body: object) => t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices[zoneId]!), payload: body });

describe('POST /v1/scans', () => {
  it('accepts an entry, answers the count and the badge, and writes the record', async () => {
    const badge = await t.issueBadge({ name: 'Li Wei' });
    const body = scanBody(badge, 'in');
    const res = await scan('necc', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      scanId: body.scanId,
      decision: 'accepted',
      reason: null,
      zoneId: 'necc',
      replayed: false,
      badge: { badgeId: badge.badgeId, category: 'professional_visitor', displayName: 'Li Wei' },
    });
    const records = (await scanRecords(t.topics)).filter((r) => r.data.scanId === body.scanId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      type: 'scan.accepted',
      data: { badgeId: badge.badgeId, zoneId: 'necc', direction: 'in', fromZoneId: null, toZoneId: 'necc', origin: 'device', country: 'KE' },
    });
    expect(JSON.stringify(records[0])).not.toContain('Li Wei');
  });

  it('lets exactly capacity in when 200 badges rush a zone of 50 at once', async () => {
    const badges = await t.issueBadges(200);
    await Promise.all(badges.map((b) => scan('necc', scanBody(b, 'in'))));
    const results = await Promise.all(badges.map((b) => scan('small-room', scanBody(b, 'in'))));
    const decisions = results.map((r) => r.json<{ decision: string; reason: string | null }>());
    expect(decisions.filter((d) => d.decision === 'accepted')).toHaveLength(50);
    expect(decisions.filter((d) => d.reason === 'capacity_full')).toHaveLength(150);
    expect(await occupancyOf('small-room')).toBe(50);
  });

  it('answers ten retries of one scan with the first decision, counting and logging it once', async () => {
    const badge = await t.issueBadge();
    const before = await occupancyOf('necc');
    const body = scanBody(badge, 'in');
    const answers = await Promise.all(Array.from({ length: 10 }, () => scan('necc', body)));
    expect(answers.map((a) => a.json<{ decision: string }>().decision)).toEqual(Array(10).fill('accepted'));
    expect(answers.filter((a) => a.json<{ replayed: boolean }>().replayed)).toHaveLength(9);
    expect(await occupancyOf('necc')).toBe(before + 1);
    expect((await scanRecords(t.topics)).filter((r) => r.data.scanId === body.scanId)).toHaveLength(1);
  });

  it('refuses a scanId reused for another badge with 409 and changes nothing', async () => {
    const [a, b] = await t.issueBadges(2);
    const body = scanBody(a!, 'in');
    await scan('necc', body);
    const before = await occupancyOf('necc');
    const res = await scan('necc', { ...body, badgeToken: b!.token });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await occupancyOf('necc')).toBe(before);
  });

  it('rejects forged, foreign, revoked, out-of-days and not-allowed badges with their reason, and logs each', async () => {
    const good = await t.issueBadge();
    const chars = good.token.split('');
    chars[10] = chars[10] === 'A' ? 'B' : 'A';
    const forged = chars.join('');
    const foreign = await t.issueBadge({ eid: 'another-expo' });
    const revoked = await t.issueBadge();
    await t.revoke(revoked);
    const early = await t.issueBadge({ from: '2024-11-09', to: '2024-11-10' });
    const expired = await t.issueBadge({ from: '2024-11-01', to: '2024-11-05' });
    const visitor = await t.issueBadge({ access: ['venue', 'hall'] });
    const cases: Array<[string, string, string]> = [
      [forged, 'necc', 'invalid_token'],
      [foreign.token, 'necc', 'wrong_event'],
      [revoked.token, 'necc', 'revoked'],
      [early.token, 'necc', 'not_valid_today'],
      [expired.token, 'necc', 'expired_badge'],
    ];
    const before = await occupancyOf('necc');
    for (const [token, zone, reason] of cases) {
      const body = scanBody(token, 'in');
      const res = await scan(zone, body);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ decision: 'rejected', reason, replayed: false });
      if (reason === 'invalid_token') expect(res.json<{ badge: unknown }>().badge).toBeNull();
      const logged = (await scanRecords(t.topics)).filter((r) => r.data.scanId === body.scanId);
      expect(logged).toMatchObject([{ type: 'scan.rejected', data: { reason } }]);
    }
    expect(await occupancyOf('necc')).toBe(before);
    await scan('necc', scanBody(visitor, 'in'));
    expect((await scan('vip', scanBody(visitor, 'in'))).json()).toMatchObject({ decision: 'rejected', reason: 'zone_not_allowed' });
    expect(await occupancyOf('vip')).toBe(0);
  });

  it('needs a device key of this gate: none is 401, another gate is 403, and nothing changes', async () => {
    const badge = await t.issueBadge();
    const before = await occupancyOf('necc');
    const none = await t.app.inject({ method: 'POST', url: '/v1/scans', payload: scanBody(badge, 'in') });
    expect(none.statusCode).toBe(401);
    const wrongGate = await scan('necc', { ...scanBody(badge, 'in'), gateId: 'gate-hall-a' });
    expect(wrongGate.statusCode).toBe(403);
    const opsToken = await t.app.inject({ method: 'POST', url: '/v1/scans', headers: ops, payload: scanBody(badge, 'in') });
    expect(opsToken.statusCode).toBe(403);
    expect(await occupancyOf('necc')).toBe(before);
  });

  it('answers 400 with details for a malformed scan and changes nothing', async () => {
    const res = await scan('necc', { scanId: 'not-a-uuid', badgeToken: '', direction: 'sideways' });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: Array<{ path: string }> } }>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(expect.arrayContaining(['body.scanId', 'body.direction', 'body.scannedAt']));
  });
});

describe('anti-passback', () => {
  it('strict: a second entry is already_inside, an exit without entry is not_inside', async () => {
    const badge = await t.issueBadge();
    await scan('necc', scanBody(badge, 'in'));
    expect((await scan('strict-hall', scanBody(badge, 'in'))).json()).toMatchObject({ decision: 'accepted' });
    expect((await scan('strict-hall', scanBody(badge, 'in'))).json()).toMatchObject({ decision: 'rejected', reason: 'already_inside' });
    expect((await scan('strict-hall', scanBody(badge, 'out'))).json()).toMatchObject({ decision: 'accepted' });
    expect((await scan('strict-hall', scanBody(badge, 'out'))).json()).toMatchObject({ decision: 'rejected', reason: 'not_inside' });
    expect(await occupancyOf('strict-hall')).toBe(0);
  });

  it('soft: a badge that left hall A by a door without a scanner and enters hall B heals both counts with inferred moves', async () => {
    const badge = await t.issueBadge();
    await scan('necc', scanBody(badge, 'in'));
    await scan('hall-a', scanBody(badge, 'in'));
    const a = await occupancyOf('hall-a');
    const b = await occupancyOf('hall-b');
    const body = scanBody(badge, 'in');
    expect((await scan('hall-b', body)).json()).toMatchObject({ decision: 'accepted' });
    expect(await occupancyOf('hall-a')).toBe(a - 1);
    expect(await occupancyOf('hall-b')).toBe(b + 1);
    const records = (await scanRecords(t.topics)).filter((r) => r.data.scanId === body.scanId);
    expect(records.map((r) => r.type === 'scan.accepted' && [r.data.origin, r.data.zoneId, r.data.direction, r.data.flags.inferred])).toEqual([
      ['inferred', 'hall-a', 'out', true],
      ['device', 'hall-b', 'in', false],
    ]);
  });
});

describe('POST /v1/scans/:scanId/annul', () => {
  it('undoes the move by the same device once; another device is 403', async () => {
    const badge = await t.issueBadge();
    await scan('necc', scanBody(badge, 'in'));
    const before = await occupancyOf('hall-a');
    const body = scanBody(badge, 'in');
    await scan('hall-a', body);
    expect(await occupancyOf('hall-a')).toBe(before + 1);
    const other = await t.app.inject({ method: 'POST', url: `/v1/scans/${body.scanId}/annul`, headers: asDevice(devices['hall-b']!) });
    expect(other.statusCode).toBe(403);
    const annul = () => t.app.inject({ method: 'POST', url: `/v1/scans/${body.scanId}/annul`, headers: asDevice(devices['hall-a']!) });
    expect((await annul()).json()).toMatchObject({ scanId: body.scanId, annulled: true, zoneId: 'hall-a', occupancy: before });
    expect((await annul()).json()).toMatchObject({ annulled: true, occupancy: before });
    expect(await occupancyOf('hall-a')).toBe(before);
    expect((await scanRecords(t.topics)).filter((r) => r.type === 'scan.annulled' && r.data.scanId === body.scanId)).toHaveLength(1);
    expect((await t.app.inject({ method: 'POST', url: `/v1/scans/${randomUUID()}/annul`, headers: asDevice(devices['hall-a']!) })).statusCode).toBe(404);
  });
});

describe('POST /v1/scans/batch', () => {
  it('counts offline scans as facts: over capacity and passback conflicts are accepted and flagged', async () => {
    const badges = await t.issueBadges(3);
    const full = await t.issueBadges(50 - (await occupancyOf('small-room')));
    for (const b of [...badges, ...full]) await scan('necc', scanBody(b, 'in'));
    await Promise.all(full.map((b) => scan('small-room', scanBody(b, 'in'))));
    expect(await occupancyOf('small-room')).toBe(50);
    const scans = badges.map((b, i) => scanBody(b, 'in', `2024-11-06T11:0${i}:00+08:00`));
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(devices['small-room']!), payload: { scans } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ results: Array<{ decision: string; scanId: string }> }>().results.map((r) => [r.scanId, r.decision])).toEqual(
      scans.map((s) => [s.scanId, 'accepted']),
    );
    expect(await occupancyOf('small-room')).toBe(53);
    const records = (await scanRecords(t.topics)).filter((r) => scans.some((s) => s.scanId === r.data.scanId));
    expect(records.map((r) => r.type === 'scan.accepted' && r.data.flags)).toEqual(
      scans.map(() => ({ inferred: false, offline: true, conflict: 'capacity_full' })),
    );
  });
});

describe('capacity of parent zones', () => {
  it('refuses an online entry capacity_full when a parent zone it would enter by inferred moves is full; offline it is a flagged fact', async () => {
    const annex = await defineVenue(t.app, [
      { zoneId: 'annex', parentId: 'necc', capacity: 2 },
      { zoneId: 'annex-room', parentId: 'annex' },
    ]);
    const [a, b, c] = await t.issueBadges(3);
    for (const badge of [a!, b!, c!]) await scan('necc', scanBody(badge, 'in'));
    for (const badge of [a!, b!])
      expect(
        (await t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(annex['annex']!), payload: scanBody(badge, 'in') })).json(),
      ).toMatchObject({ decision: 'accepted' });
    const room = (body: object) => t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(annex['annex-room']!), payload: body });
    // c came to the room's door by a way without a scanner: entering the room enters the full annex.
    expect((await room(scanBody(c!, 'in'))).json()).toMatchObject({ decision: 'rejected', reason: 'capacity_full' });
    expect(await occupancyOf('annex')).toBe(2);
    expect(await occupancyOf('annex-room')).toBe(0);
    // a is in the annex already: the room has space, and the annex count does not change.
    expect((await room(scanBody(a!, 'in'))).json()).toMatchObject({ decision: 'accepted' });
    expect(await occupancyOf('annex')).toBe(2);
    const offline = scanBody(c!, 'in', '2024-11-06T12:00:00+08:00');
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(annex['annex-room']!), payload: { scans: [offline] } });
    expect(res.json<{ results: Array<{ decision: string }> }>().results[0]).toMatchObject({ decision: 'accepted' });
    expect(await occupancyOf('annex')).toBe(3);
    const own = (await scanRecords(t.topics)).find((r) => r.data.scanId === offline.scanId && r.type === 'scan.accepted' && r.data.origin === 'device');
    expect(own?.type === 'scan.accepted' && own.data.flags).toEqual({ inferred: false, offline: true, conflict: 'capacity_full' });
  });
});

describe('two instances on one Redis and one broker', () => {
  it('stay exact: 120 entries split across both into a room of 50 admit exactly 50', async () => {
    const second = await t.instance();
    await t.app.inject({
      method: 'PUT',
      url: '/v1/zones/room-two',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { name: 'Room two', kind: 'forum_room', parentId: 'necc', capacity: 50, antiPassback: 'soft' },
    });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/gates/gate-room-two',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { zoneId: 'room-two' },
    });
    const device = (
      await second.inject({
        method: 'POST',
        url: '/v1/devices',
        headers: { authorization: 'Bearer test-admin-token-0123456789' },
        payload: { gateId: 'gate-room-two' },
      })
    ).json<{ deviceKey: string }>();
    const badges = await t.issueBadges(120);
    await Promise.all(badges.map((b) => scan('necc', scanBody(b, 'in'))));
    const results = await Promise.all(
      badges.map((b, i) => (i % 2 === 0 ? t.app : second).inject({ method: 'POST', url: '/v1/scans', headers: asDevice(device), payload: scanBody(b, 'in') })),
    );
    expect(results.filter((r) => r.json<{ decision: string }>().decision === 'accepted')).toHaveLength(50);
    expect(await occupancyOf('room-two')).toBe(50);
    expect((await second.inject({ url: '/v1/occupancy/room-two', headers: ops })).json()).toMatchObject({ occupancy: 50, capacity: 50, ratio: 1 });
  });
});

describe('late offline scans', () => {
  it("an offline scan older than the badge's last move is recorded in its own time, then the badge goes back where the newer scan put it", async () => {
    const badge = await t.issueBadge();
    await scan('necc', scanBody(badge, 'in', '2024-11-06T10:00:00+08:00'));
    await scan('hall-a', scanBody(badge, 'in', '2024-11-06T10:30:00+08:00'));
    const [a, b] = [await occupancyOf('hall-a'), await occupancyOf('hall-b')];
    const late = scanBody(badge, 'in', '2024-11-06T10:10:00+08:00');
    const res = await t.app.inject({ method: 'POST', url: '/v1/scans/batch', headers: asDevice(devices['hall-b']!), payload: { scans: [late] } });
    expect(res.json()).toMatchObject({ results: [{ decision: 'accepted' }] });
    expect([await occupancyOf('hall-a'), await occupancyOf('hall-b')]).toEqual([a, b]);
    const records = (await scanRecords(t.topics)).filter((r) => r.data.scanId === late.scanId);
    expect(records.map((r) => r.type === 'scan.accepted' && [r.data.origin, r.data.zoneId, r.data.direction, r.data.flags.stale ?? false])).toEqual([
      ['inferred', 'hall-a', 'out', false],
      ['device', 'hall-b', 'in', true],
      ['inferred', 'hall-b', 'out', false],
      ['inferred', 'hall-a', 'in', false],
    ]);
  });
});
