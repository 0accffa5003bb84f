import { randomUUID } from 'node:crypto';
import { createKafka, readTopicToEnd } from '@expo/bus';
import { generateKey } from '@expo/service-kit';
import { kafkaBrokers } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineVenue, setupScanning, TODAY, type TestScanning } from '../../helper.ts';

let t: TestScanning;
const exhibitorKey = generateKey('exh');

beforeAll(async () => {
  t = await setupScanning('leads', {}, { now: () => Date.parse(TODAY) });
  await defineVenue(t.app, [{ zoneId: 'necc', parentId: null }]);
  await t.registration.send(t.topics.exhibitors, [
    {
      type: 'exhibitor.registered',
      eventId: t.names.expoId,
      data: {
        exhibitorId: 'exh-1',
        name: 'Savanna Coffee Ltd',
        country: 'KE',
        sectors: ['food'],
        hall: '1.1',
        booth: 'A-12',
        fortuneGlobal500: false,
        leastDevelopedCountry: false,
        products: [],
        keyHash: exhibitorKey.hash,
        changed: ['name'],
      },
    },
  ]);
  await vi.waitFor(
    async () => {
      if (!(await t.app.scanning.registry.exhibitorByKeyHash(exhibitorKey.hash)))
        throw new Error('the exhibitor snapshot did not reach badge-scanning within 20 s');
    },
    { timeout: 20_000, interval: 50 },
  );
});
afterAll(async () => t.close());

const exhibitor = { authorization: `Bearer ${exhibitorKey.key}` };

async function leadRecords() {
  const records: Array<{ leadId: string; badgeId: string; data: Record<string, unknown> }> = [];
  await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'leads-test' }), t.topics.leads, (record) => {
    if (record.kind === 'event') records.push({ leadId: record.event.data.leadId, badgeId: record.event.data.badgeId, data: record.event.data });
  });
  return records;
}

describe('POST /v1/leads', () => {
  it('captures a lead once per leadId, keeps the note for the exhibitor only, and puts ids and coarse attributes on the topic', async () => {
    const badge = await t.issueBadge({ name: 'Chen Jing', country: 'CN' });
    const body = { leadId: randomUUID(), badgeToken: badge.token, rating: 4, note: 'wants 20 t of roasted beans, call Tuesday' };
    const first = await t.app.inject({ method: 'POST', url: '/v1/leads', headers: exhibitor, payload: body });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      leadId: body.leadId,
      exhibitorId: 'exh-1',
      badgeId: badge.badgeId,
      displayName: 'Chen Jing',
      country: 'CN',
      replayed: false,
    });
    const again = await t.app.inject({ method: 'POST', url: '/v1/leads', headers: exhibitor, payload: body });
    expect(again.json()).toMatchObject({ leadId: body.leadId, replayed: true });
    const records = (await leadRecords()).filter((r) => r.leadId === body.leadId);
    expect(records).toHaveLength(1);
    expect(records[0]!.data).toMatchObject({ exhibitorId: 'exh-1', badgeId: badge.badgeId, category: 'professional_visitor', country: 'CN', rating: 4 });
    expect(JSON.stringify(records[0])).not.toMatch(/Chen Jing|roasted/);
    const own = (await t.app.inject({ url: '/v1/leads', headers: exhibitor })).json<{ leads: Array<{ leadId: string; note?: string }> }>();
    expect(own.leads).toEqual([expect.objectContaining({ leadId: body.leadId, note: body.note })]);
  });

  it('refuses a reused leadId for another badge (409), a forged badge (400) and a caller without an exhibitor key (401)', async () => {
    const [a, b] = await t.issueBadges(2);
    const leadId = randomUUID();
    expect((await t.app.inject({ method: 'POST', url: '/v1/leads', headers: exhibitor, payload: { leadId, badgeToken: a!.token } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/v1/leads', headers: exhibitor, payload: { leadId, badgeToken: b!.token } })).statusCode).toBe(409);
    // One signature character changed (never the same character again, as a fixed suffix could be).
    const [payload, signature] = a!.token.split('.') as [string, string];
    const badgeToken = `${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const forged = await t.app.inject({ method: 'POST', url: '/v1/leads', headers: exhibitor, payload: { leadId: randomUUID(), badgeToken } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'badgeToken', message: 'invalid_token' }] } });
    expect((await t.app.inject({ method: 'POST', url: '/v1/leads', payload: { leadId: randomUUID(), badgeToken: a!.token } })).statusCode).toBe(401);
    expect((await leadRecords()).filter((r) => r.leadId === leadId)).toHaveLength(1);
  });
});
