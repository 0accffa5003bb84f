import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKafka, readTopicToEnd } from '@expo/bus';
import { eventSchemaFileName, FootfallBucketClosed } from '@expo/schemas';
import { kafkaBrokers } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import { ExpoCalendar } from '../../src/domain/time.ts';
import { ops, setupAnalytics, waitForConsumed, zoneDefined, type ScanInput, type TestAnalytics } from '../helper.ts';

// ajv is the bus package's test dependency (a validator that is not zod, as a consumer in another
// language would use); analytics borrows it from there rather than adding a dependency.
const requireFromBus = createRequire(join(dirname(createRequire(import.meta.url).resolve('@expo/bus')), '..', 'package.json'));
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
const { Ajv2020 } = requireFromBus('ajv/dist/2020.js') as { Ajv2020: new (o: object) => { compile(schema: object): Validate } };
const addFormats = requireFromBus('ajv-formats') as (ajv: object) => void;
const schemasDir = dirname(dirname(createRequire(import.meta.url).resolve('@expo/schemas')));

const MIN = 60_000;

function entry(eventId: string, badge: string, zone: string, at: number, occupancyAfter: number): ScanInput {
  const time = new Date(at).toISOString();
  return {
    type: 'scan.accepted',
    eventId,
    occurredAt: time,
    data: {
      scanId: `${badge}-${at}`,
      badgeId: badge,
      attendeeId: badge.replace('badge', 'att'),
      deviceId: 'dev-1',
      gateId: `${zone}-gate`,
      zoneId: zone,
      fromZoneId: null,
      toZoneId: zone,
      direction: 'in',
      scannedAt: time,
      flags: { inferred: false, offline: true },
      origin: 'device',
      occupancyAfter,
      decision: 'accepted',
      reason: null,
    },
  };
}

describe('late scans and the footfall topic', () => {
  let t: TestAnalytics;
  let app: ServiceApp;
  const now = Date.now();
  const lateMinute = Math.floor((now - 3 * 3600_000) / MIN) * MIN;
  const tooLateMinute = Math.floor((now - 25 * 3600_000) / MIN) * MIN;
  const calendar = new ExpoCalendar('Asia/Shanghai');

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', join(schemasDir, 'scripts', 'build-json-schemas.ts')], { cwd: schemasDir, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    t = await setupAnalytics('late');
    await t.producer.send(t.topics.zones, [zoneDefined(t.names.expoId, 'hall-9', 100)]);
    // An offline batch arriving now: two scans of three hours ago, one of 25 hours ago (beyond the 24 h grace).
    await t.producer.send(t.topics.scans, [
      entry(t.names.expoId, 'badge-1', 'hall-9', lateMinute + 10_000, 1),
      entry(t.names.expoId, 'badge-2', 'hall-9', lateMinute + 20_000, 2),
      entry(t.names.expoId, 'badge-3', 'hall-9', tooLateMinute + 5000, 3),
    ]);
    app = await t.instance();
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
  });
  afterAll(() => t.close());

  const footfall = async (minute: number) => {
    const q = new URLSearchParams({ zoneId: 'hall-9', bucket: '1m', from: new Date(minute).toISOString(), to: new Date(minute + MIN).toISOString() });
    const response = await app.inject({ url: `/v1/footfall?${q.toString()}`, headers: ops });
    expect(response.statusCode).toBe(200);
    return response.json<{ buckets: Array<{ start: string; in: number; uniqueVisitors: number }> }>().buckets;
  };

  it('puts scans within the grace period in the bucket of their event time', async () => {
    expect(await footfall(lateMinute)).toEqual([{ start: new Date(lateMinute).toISOString(), in: 2, out: 0, peakOccupancy: 2, uniqueVisitors: 2 }]);
  });

  it('counts a scan beyond the grace period as late, outside any bucket, and still in the occupancy', async () => {
    expect(await footfall(tooLateMinute)).toEqual([]);
    const summary = await app.inject({ url: `/v1/summary?date=${calendar.dayOf(tooLateMinute)}`, headers: ops });
    expect(summary.json()).toMatchObject({ late: 1 });
    const live = (await app.inject({ url: '/v1/live', headers: ops })).json<{ zones: Array<{ zoneId: string; occupancy: number }> }>();
    expect(live.zones.find((z) => z.zoneId === 'hall-9')?.occupancy).toBe(3);
  });

  it('publishes closed buckets on analytics.footfall.v1, valid against the published JSON Schema', async () => {
    const records = await vi.waitFor(
      async () => {
        const read: unknown[] = [];
        await readTopicToEnd(createKafka({ brokers: kafkaBrokers(), clientId: 'footfall-test' }), t.topics.footfall, (record) => {
          if (record.kind === 'event') read.push(record.event);
        });
        if (read.length === 0) throw new Error(`no closed bucket on ${t.topics.footfall.name} within 20 s`);
        return read;
      },
      { timeout: 20_000, interval: 500 },
    );
    const schema = JSON.parse(readFileSync(join(schemasDir, 'dist', 'json-schema', eventSchemaFileName(FootfallBucketClosed)), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const record of records) expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    // A bucket that changes after it was published (its scans arrived in separate batches) is
    // published again with the corrected figures; the last record is the bucket's final state.
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.at(-1)).toMatchObject({
      type: 'footfall.bucket_closed',
      source: 'analytics',
      eventId: t.names.expoId,
      data: {
        zoneId: 'hall-9',
        bucketStart: new Date(lateMinute).toISOString(),
        bucketMinutes: 1,
        entries: 2,
        exits: 0,
        peakOccupancy: 2,
        uniqueVisitors: 2,
        late: 2,
      },
    });
  });
});
