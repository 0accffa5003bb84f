import { startDedicatedKafka, type DedicatedKafka } from '@expo/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asDevice, defineVenue, ops, scanBody, scanRecords, setupScanning, type TestScanning } from '../helper.ts';

let kafka: DedicatedKafka;
let t: TestScanning;
let devices: Awaited<ReturnType<typeof defineVenue>>;

beforeAll(async () => {
  kafka = await startDedicatedKafka();
  t = await setupScanning('kafka-outage', { KAFKA_BROKERS: kafka.brokers });
  devices = await defineVenue(t.app, [
    { zoneId: 'necc', parentId: null },
    { zoneId: 'hall-1', parentId: 'necc', capacity: 100 },
  ]);
}, 180_000);
afterAll(async () => {
  await t.close();
  await kafka.destroy();
});

const occupancy = async () =>
  (await t.app.inject({ url: '/v1/occupancy', headers: ops })).json<{ zones: Array<{ zoneId: string; occupancy: number }> }>().zones;
const post = (zone: string, body: object) => t.app.inject({ method: 'POST', url: '/v1/scans', headers: asDevice(devices[zone]!), payload: body });

describe('Kafka stopped mid-run', () => {
  it('answers 503 with Retry-After within 2 s, keeps the decisions (Kafka may have them), and answers the retries with them once Kafka is back', async () => {
    const badges = await t.issueBadges(6);
    for (const b of badges.slice(0, 3)) expect((await post('necc', scanBody(b, 'in'))).json()).toMatchObject({ decision: 'accepted' });
    const before = await occupancy();

    await kafka.stop();
    const bodies = badges.slice(3).map((b) => scanBody(b, 'in'));
    for (const body of bodies) {
      const started = Date.now();
      const res = await post('necc', body);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json()).toMatchObject({ error: { code: 'dependency_unavailable' } });
      expect(Date.now() - started).toBeLessThan(2000);
    }
    // A write that timed out may be in the log: the decisions stay (counted), to be written again.
    expect((await occupancy()).find((z) => z.zoneId === 'necc')!.occupancy).toBe(before.find((z) => z.zoneId === 'necc')!.occupancy + 3);

    await kafka.restart();
    const res = await vi.waitFor(
      async () => {
        const answer = await post('necc', bodies[0]!);
        if (answer.statusCode === 503) throw new Error(`the scan was still refused with 503 60 s after Kafka came back: ${answer.body}`);
        return answer;
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(res.json()).toMatchObject({ decision: 'accepted', replayed: true });
    for (const body of bodies.slice(1)) expect((await post('necc', body)).json()).toMatchObject({ decision: 'accepted', replayed: true });
    expect((await occupancy()).find((z) => z.zoneId === 'necc')!.occupancy).toBe(6);
    const records = await scanRecords(t.topics, kafka.brokers);
    // A write whose acknowledgement was lost when the broker stopped may be in the log too: it has
    // the same record id as the retry's, so a consumer deduping on ids counts the scan once.
    for (const body of bodies) expect(new Set(records.filter((r) => r.data.scanId === body.scanId).map((r) => r.id)).size).toBe(1);
  }, 180_000);
});
