import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKafka, DLQ_HEADERS, replayDeadLetters } from '@expo/bus';
import { dlqTopicName, TOPICS } from '@expo/schemas';
import { kafkaBrokers, testNames } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import type { DlqReport } from '../../../src/routes/v1/dlq.ts';
import { ADMIN_TOKEN, createAnalyticsTopics, ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../../helper.ts';

describe('GET /v1/dlq: dead letters per topic', () => {
  let t: TestAnalytics;
  let app: ServiceApp;
  let prefix: string;
  const dlqOf = (topic: string) => dlqTopicName(topic);

  beforeAll(async () => {
    const names = testNames('dlq-route');
    prefix = names.topicPrefix;
    const topics = await createAnalyticsTopics(names, 1);
    // The deployment's prefix: the route lists every platform topic under it, as the services name them.
    t = await setupAnalytics('dlq-route', { TOPIC_PREFIX: prefix }, { names, topics });
    app = await t.instance();
  });
  afterAll(() => t.close());

  const counts = async (headers: Record<string, string> = ops) => {
    const response = await app.inject({ url: '/v1/dlq', headers });
    expect(response.statusCode).toBe(200);
    return response.json<DlqReport>();
  };
  const of = (report: DlqReport, topic: string) => report.topics.find((c) => c.topic === dlqOf(topic));

  it('lists the dead-letter topic of every platform topic, with nothing held where nothing was dead-lettered', async () => {
    const report = await counts();
    expect(report.topics.map((c) => c.source)).toEqual(Object.values(TOPICS).map((topic) => `${prefix}${topic.name}`));
    expect(report.topics.map((c) => c.topic)).toEqual(report.topics.map((c) => dlqOf(c.source)));
    // Only analytics' topics exist in this test's platform: leads' twin is missing and counts 0.
    expect(of(report, `${prefix}${TOPICS.leads.name}`)).toEqual({
      topic: dlqOf(`${prefix}${TOPICS.leads.name}`),
      source: `${prefix}${TOPICS.leads.name}`,
      records: 0,
      replayed: 0,
      waiting: 0,
    });
    expect(report.topics.every((c) => c.records === 0 && c.waiting === 0)).toBe(true);
  });

  it('counts a record the scans consumer dead-lettered as held and waiting', async () => {
    await t.producer.sendRaw(t.topics.scans.name, [{ key: 'badge-poison', value: 'not a scan record', headers: { type: 'scan.accepted' } }]);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
    await expect
      .poll(async () => of(await counts(), t.topics.scans.name), { timeout: 20_000, interval: 500 })
      .toEqual({
        topic: dlqOf(t.topics.scans.name),
        source: t.topics.scans.name,
        records: 1,
        replayed: 0,
        waiting: 1,
      });
    const report = await counts();
    expect(report.topics.filter((c) => c.waiting > 0).map((c) => c.topic)).toEqual([dlqOf(t.topics.scans.name)]);
  });

  it('answers every poll within a few seconds from one look at the broker', async () => {
    // A look just made, so the next poll falls well within its few seconds.
    const first = await vi.waitFor(
      async () => {
        const report = await counts();
        if (Date.now() - Date.parse(report.checkedAt) > 1000) throw new Error(`no fresh look at the broker within 10 s: the last at ${report.checkedAt}`);
        return report;
      },
      { timeout: 10_000, interval: 200 },
    );
    // Written straight onto a twin, as a consumer would: not seen before the cached look expires.
    await t.producer.sendRaw(dlqOf(t.topics.badges.name), [
      { key: 'badge-1', value: '{}', headers: { [DLQ_HEADERS.topic]: t.topics.badges.name, [DLQ_HEADERS.code]: 'schema_violation' } },
    ]);
    const again = await counts();
    expect(again.checkedAt).toBe(first.checkedAt);
    expect(of(again, t.topics.badges.name)?.records).toBe(0);
    await expect.poll(async () => of(await counts(), t.topics.badges.name)?.waiting, { timeout: 20_000, interval: 500 }).toBe(1);
  });

  it('counts a replayed dead letter as held but no longer waiting', async () => {
    const zone = zoneDefined(t.names.expoId, 'hall-dlq', 100);
    // A zone record a consumer could not apply (the bug since fixed), then replayed with `pnpm dlq replay`.
    const envelope = {
      id: '0b6f0f32-52a4-4c34-9d2f-3c1b7c3e1a10',
      schemaVersion: 1,
      source: 'badge-scanning',
      occurredAt: new Date().toISOString(),
      recordedAt: new Date().toISOString(),
      ...zone,
    };
    await t.producer.sendRaw(dlqOf(t.topics.zones.name), [
      {
        key: 'hall-dlq',
        value: JSON.stringify(envelope),
        headers: { type: 'zone.defined', schemaVersion: '1', [DLQ_HEADERS.topic]: t.topics.zones.name, [DLQ_HEADERS.code]: 'handler_error' },
      },
    ]);
    await expect.poll(async () => of(await counts(), t.topics.zones.name)?.waiting, { timeout: 20_000, interval: 500 }).toBe(1);
    await replayDeadLetters(createKafka({ brokers: kafkaBrokers(), clientId: 'dlq-route-replay' }), dlqOf(t.topics.zones.name));
    await expect
      .poll(async () => of(await counts(), t.topics.zones.name), { timeout: 20_000, interval: 500 })
      .toEqual({
        topic: dlqOf(t.topics.zones.name),
        source: t.topics.zones.name,
        records: 1,
        replayed: 1,
        waiting: 0,
      });
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, t.topics.zones.name);
    const live = (await app.inject({ url: '/v1/live', headers: ops })).json<{ zones: Array<{ zoneId: string }> }>();
    expect(live.zones.map((z) => z.zoneId)).toContain('hall-dlq');
  });

  it('answers an admin token too, and 401 with the error body without a token or with one this expo does not know', async () => {
    expect((await counts({ authorization: `Bearer ${ADMIN_TOKEN}` })).topics.length).toBe(Object.keys(TOPICS).length);
    for (const headers of [{}, { authorization: 'Bearer a-scanner-key-of-another-service' }]) {
      const response = await app.inject({ url: '/v1/dlq', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toContain('/v1/dlq');
  });
});

describe('GET /v1/dlq with Kafka unreachable', () => {
  it('answers 503 with Retry-After and the error body', async () => {
    const t = await setupAnalytics('dlq-route-down');
    try {
      const app = await t.instance({ KAFKA_BROKERS: '127.0.0.1:1' }, { waitUntilWhole: false });
      const response = await app.inject({ url: '/v1/dlq', headers: ops });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
    } finally {
      await t.close();
    }
  });
});
