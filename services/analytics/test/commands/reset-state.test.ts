import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createKafka } from '@expo/bus';
import { kafkaBrokers, redisUrl } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { resetAnalytics } from '../../src/commands/reset-state.ts';
import { scriptedDay, toScanInputs } from '../fixtures/scripted-day.ts';
import { ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../helper.ts';

const DAY = '2024-11-05';

describe('rebuild: reset the figures and read the topics again', () => {
  let t: TestAnalytics;
  const redis = new Redis(redisUrl());
  beforeAll(async () => {
    t = await setupAnalytics('reset', { LATE_GRACE_MS: String(10 * 365 * 86_400_000) });
    await t.producer.send(t.topics.zones, [zoneDefined(t.names.expoId, 'hall-1', 400)]);
    await t.producer.send(t.topics.scans, toScanInputs(t.names.expoId, scriptedDay(200, Date.parse('2024-11-04T16:00:00Z'), 9)));
  });
  afterAll(async () => {
    await t.close();
    redis.disconnect();
  });

  const consumeAll = async (): Promise<ServiceApp> => {
    const app = await t.instance();
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, t.topics.zones.name);
    return app;
  };
  const figures = async (app: ServiceApp) => ({
    summary: (await app.inject({ url: `/v1/summary?date=${DAY}`, headers: ops })).json<unknown>(),
    zones: (await app.inject({ url: '/v1/live', headers: ops })).json<{ zones: unknown }>().zones,
  });

  it('computes the same figures again from the topics', async () => {
    const first = await consumeAll();
    const before = await figures(first);
    await first.close();

    const report = await resetAnalytics({ redis, kafka: createKafka({ brokers: kafkaBrokers(), clientId: 'reset-test' }), expoId: t.names.expoId, consumerGroup: t.config.CONSUMER_GROUP });
    expect(report.keysDeleted).toBeGreaterThan(10);
    expect(report.groupsDeleted).toEqual([`${t.config.CONSUMER_GROUP}.scans`, `${t.config.CONSUMER_GROUP}.reference`]);

    const again = await consumeAll();
    expect(await figures(again)).toEqual(before);
  }, 120_000);
});
