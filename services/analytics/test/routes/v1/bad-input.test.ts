import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '@expo/bus';
import { kafkaBrokers } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { scriptedDay, toScanInputs } from '../../fixtures/scripted-day.ts';
import { ops, setupAnalytics, type TestAnalytics } from '../../helper.ts';

describe('bad input and a missing Redis', () => {
  let t: TestAnalytics;
  let app: ServiceApp;
  beforeAll(async () => {
    t = await setupAnalytics('bad-input');
    app = await t.instance();
  });
  afterAll(() => t.close());

  it('asks for an admin or ops token', async () => {
    expect((await app.inject({ url: '/v1/summary' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/summary', headers: { authorization: 'Bearer not-a-token-of-this-expo' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/dashboard' })).statusCode).toBe(200);
  });

  it('documents the routes in its OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/summary', '/v1/footfall', '/v1/dwell', '/v1/export/footfall.csv', '/v1/live']));
  });

  it.each([
    ['/v1/footfall?zoneId=hall-1&bucket=2m&from=2024-11-05T00:00:00Z&to=2024-11-05T01:00:00Z', 'bucket'],
    ['/v1/footfall?zoneId=hall-1&from=2024-11-05T02:00:00Z&to=2024-11-05T01:00:00Z', 'to'],
    ['/v1/footfall?bucket=1m&from=2024-11-05T00:00:00Z&to=2024-11-05T01:00:00Z', 'zoneId'],
    ['/v1/footfall?zoneId=hall-1&from=yesterday&to=2024-11-05T01:00:00Z', 'from'],
    ['/v1/footfall?zoneId=hall-1&from=2024-01-01T00:00:00Z&to=2024-11-05T01:00:00Z', 'to'],
    ['/v1/export/footfall.csv?zoneId=hall{1}&from=2024-11-05T00:00:00Z&to=2024-11-05T01:00:00Z', 'zoneId'],
    ['/v1/dwell?zoneId=hall-1&date=05/11/2024', 'date'],
    ['/v1/summary?date=2024-13-01', 'date'],
  ])('answers 400 with details for %s', async (url, field) => {
    const response = await app.inject({ url, headers: ops });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: { code: string; details: Array<{ path: string }> } }>();
    expect(body.error.code).toBe('invalid_request');
    expect(JSON.stringify(body.error.details)).toContain(field);
  });

  it('answers 503 with Retry-After while Redis is unreachable, and consumes nothing meanwhile', async () => {
    await t.producer.send(t.topics.scans, toScanInputs(t.names.expoId, scriptedDay(5, Date.parse('2024-11-04T16:00:00Z'))));
    const down = await t.instance({ REDIS_URL: 'redis://127.0.0.1:1', CONSUMER_GROUP: `${t.names.groupId}-down` }, { waitUntilWhole: false });
    const response = await down.inject({ url: '/v1/summary', headers: ops });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect((await down.inject({ url: '/readyz' })).statusCode).toBe(503);
    await new Promise((r) => setTimeout(r, 4000));
    const admin = createKafka({ brokers: kafkaBrokers(), clientId: 'bad-input-test' }).admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: `${t.names.groupId}-down.scans`, topics: [t.topics.scans.name] });
    await admin.disconnect();
    expect(committed!.partitions.every((p) => Number(p.offset) <= 0)).toBe(true);
  });
});
