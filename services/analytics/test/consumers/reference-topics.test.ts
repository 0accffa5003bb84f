import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, readTopicToEnd } from '@expo/bus';
import { dlqTopicName } from '@expo/schemas';
import { kafkaBrokers } from '@expo/testkit';
import type { ServiceApp } from '@expo/service-kit';
import type { Summary } from '../../src/routes/v1/summary.ts';
import { scriptedDay, toScanInputs } from '../fixtures/scripted-day.ts';
import { attendee, badgeIssued, exhibitor, meeting } from '../fixtures/registry.ts';
import { ops, setupAnalytics, waitForConsumed, zoneDefined, type TestAnalytics } from '../helper.ts';

const DAY = '2024-11-05';
const DAY_START = Date.parse('2024-11-04T16:00:00Z');

describe('registration and matchmaking topics, and bad records', () => {
  let t: TestAnalytics;
  let app: ServiceApp;

  beforeAll(async () => {
    t = await setupAnalytics('reference', { LATE_GRACE_MS: String(10 * 365 * 86_400_000) });
    const e = t.names.expoId;
    await t.producer.send(t.topics.attendees, [
      attendee(e, 0, 'buyer', 'KE', ['food']),
      attendee(e, 1, 'buyer', 'CN', ['food', 'food.dairy']),
      attendee(e, 2, 'media', 'FR', []),
      attendee(e, 3, 'vip', 'KE', ['food']),
      attendee(e, 4, 'professional_visitor', 'BR', ['food']),
      attendee(e, 5, 'buyer', 'DE', ['food']),
      attendee(e, 5, 'buyer', 'DE', ['food'], 'cancelled'),
    ]);
    await t.producer.sendTombstone(t.topics.attendees, 'att-4');
    await t.producer.send(t.topics.badges, [badgeIssued(e, 0), badgeIssued(e, 1), badgeIssued(e, 1), badgeIssued(e, 2)]);
    await t.producer.send(t.topics.exhibitors, [exhibitor(e, 'ex-1', 2), exhibitor(e, 'ex-2', 1), exhibitor(e, 'ex-1', 3)]);
    await t.producer.send(t.topics.meetings, [
      meeting(e, 'm-1', 'requested'),
      meeting(e, 'm-2', 'scheduled'),
      meeting(e, 'm-3', 'declined'),
      meeting(e, 'm-1', 'held', 12000.5),
      meeting(e, 'm-4', 'held', 0.25),
    ]);
    await t.producer.send(t.topics.zones, [zoneDefined(e, 'hall-1', 400), zoneDefined(e, 'hall-2', 300), zoneDefined(e, 'hall-3', 300)]);
    app = await t.instance();
    for (const topic of [t.topics.attendees, t.topics.badges, t.topics.exhibitors, t.topics.meetings, t.topics.zones]) {
      await waitForConsumed(`${t.config.CONSUMER_GROUP}.reference`, topic.name);
    }
    // Visitors att-0..att-2 known, the rest of the scripted day's badges unknown to registration;
    // a record that fails its schema in the middle; a zone missing from the zone tree.
    const day = toScanInputs(e, scriptedDay(20, DAY_START, 3));
    await t.producer.send(t.topics.scans, day.slice(0, 10));
    await t.producer.sendRaw(t.topics.scans.name, [
      { key: 'badge-x', value: JSON.stringify({ type: 'scan.accepted', eventId: e, data: { badgeId: 'badge-x' } }), headers: { type: 'scan.accepted' } },
    ]);
    await t.producer.send(t.topics.scans, [
      ...day.slice(10),
      ...toScanInputs(e, scriptedDay(1, DAY_START, 5)).map(
        (s) =>
          ({ ...s, data: { ...s.data, zoneId: 'mystery', toZoneId: s.data.toZoneId && 'mystery', fromZoneId: s.data.fromZoneId && 'mystery' } }) as typeof s,
      ),
    ]);
    await waitForConsumed(`${t.config.CONSUMER_GROUP}.scans`, t.topics.scans.name);
  });
  afterAll(() => t.close());

  const summary = async () => (await app.inject({ url: `/v1/summary?date=${DAY}`, headers: ops })).json<Summary>();

  it('counts registrations by category, the funnel, meetings, turnover and debuts', async () => {
    const s = await summary();
    expect(s.registrationsByCategory).toEqual({ professional_visitor: 0, exhibitor_staff: 0, buyer: 2, media: 1, vip: 1, organiser_staff: 0 });
    expect(s.funnel!.registered).toBe(4);
    expect(s.funnel!.badgeIssued).toBe(3);
    expect(s.meetingsByStatus).toMatchObject({ requested: 0, scheduled: 1, declined: 1, held: 2 });
    expect(s.intendedTurnoverUsd).toBe(12000.75);
    expect(s.productDebuts).toBe(4);
  });

  it("takes the visitor mix from registration's attributes and counts unknown badges as unknown", async () => {
    const s = await summary();
    // The scripted day's badges badge-0..badge-19 all enter; att-0..att-5 are known (att-5 cancelled
    // later) except att-4, erased: 15 visitors are unknown to registration, their country from the scan.
    expect(s.funnel!.firstEntry).toBe(20);
    expect(s.visitorMix!['unknown-badge']).toBe(15);
    expect(s.visitorMix!['country:KE']).toBe(2 + 15);
    expect(s.visitorMix!['country:DE']).toBe(1);
    expect(s.visitorMix!['sector:food.dairy']).toBe(1);
    expect(s.visitorMix!['category:media']).toBe(1);
    expect(JSON.stringify(s)).not.toContain('Visitor ');
  });

  it('moves a record that fails its schema to the DLQ and goes on; lists an unknown zone', async () => {
    const dead = await readTopicToEnd(
      createKafka({ brokers: kafkaBrokers(), clientId: 'dlq-test' }),
      { ...t.topics.scans, name: dlqTopicName(t.topics.scans.name) },
      () => undefined,
    );
    expect(dead.records).toBe(1);
    const live = (await app.inject({ url: '/v1/live', headers: ops })).json<{ zones: Array<{ zoneId: string; unknown: boolean }> }>();
    expect(live.zones.find((z) => z.zoneId === 'mystery')).toMatchObject({ unknown: true });
    expect(live.zones.filter((z) => !z.unknown).map((z) => z.zoneId)).toEqual(['hall-1', 'hall-2', 'hall-3']);
  });
});
