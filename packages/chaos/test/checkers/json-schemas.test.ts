import { afterAll, describe, expect, it } from 'vitest';
import { buildEnvelope, HEADER_SCHEMA_VERSION, HEADER_TYPE, type TopicEventInput } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import { createPlatformTopics, testNames } from '@expo/testkit';
import { checkJsonSchemas } from '../../src/checkers/json-schemas.ts';
import { journalOf, kafka, producer } from './fixture.ts';

const writer = producer('badge-scanning');
afterAll(() => writer.disconnect());

const AT = '2024-11-05T09:30:00+08:00';

function scan(expoId: string): TopicEventInput<typeof TOPICS.scans> {
  return {
    type: 'scan.accepted',
    eventId: expoId,
    data: {
      scanId: 's1',
      badgeId: 'bdg-1',
      attendeeId: 'att-1',
      deviceId: 'dev-1',
      gateId: 'gate-1',
      zoneId: 'hall-1',
      fromZoneId: 'venue',
      toZoneId: 'hall-1',
      direction: 'in',
      scannedAt: AT,
      flags: { inferred: false, offline: false },
      origin: 'device',
      occupancyAfter: 1,
      decision: 'accepted',
      reason: null,
    },
  };
}

/** A record written as it stands (bypassing the producer's validation), with the headers a producer sets. */
const raw = (record: { type: string; schemaVersion: number; [field: string]: unknown }, headers: { type?: string } = {}) => ({
  key: 'bdg-1',
  value: JSON.stringify(record),
  headers: { [HEADER_TYPE]: headers.type ?? record.type, [HEADER_SCHEMA_VERSION]: String(record.schemaVersion) },
});

async function platform(label: string) {
  const names = testNames(label);
  return { names, topics: await createPlatformTopics(names, ['scans', 'meetings'], { partitions: 1 }) };
}

describe('checkJsonSchemas', () => {
  it("passes valid records of every expo, tombstones and the journal's poison", async () => {
    const { names, topics } = await platform('json-schemas-ok');
    await writer.send(topics.scans, [scan(names.expoId), scan(`${names.expoId}-other`)]);
    await writer.send(topics.meetings, [
      {
        type: 'meeting.requested',
        eventId: names.expoId,
        data: {
          meetingId: 'm1',
          buyerId: 'b1',
          exhibitorId: 'e1',
          requestedBy: 'buyer',
          status: 'requested',
          requestedAt: AT,
          updatedAt: AT,
          changed: ['status'],
        },
      },
    ]);
    await writer.sendTombstone(topics.meetings, 'm0');
    const poison = { topic: topics.scans.name, key: 'bdg-p', value: '{"not": json' };
    await writer.sendRaw(poison.topic, [{ key: poison.key, value: poison.value }]);
    const journal = journalOf({});
    journal.poison.push(poison);

    const result = await checkJsonSchemas({ kafka, topicPrefix: names.topicPrefix, expoId: names.expoId, journal });
    expect(result).toMatchObject({ name: 'json-schemas', ok: true, checked: 5, problems: [] });
    expect(result.counts).toMatchObject({
      records: 5,
      tombstones: 1,
      poison: 1,
      invalid: 0,
      unknownType: 0,
      headerMismatch: 0,
      missingTopics: Object.keys(TOPICS).length - 2,
    });
  });

  it('catches a record its schema refuses, one that is not JSON, an unknown version and headers that contradict the record', async () => {
    const { names, topics } = await platform('json-schemas-bad');
    const valid = buildEnvelope(topics.scans, scan(names.expoId), 'badge-scanning');
    await writer.sendRaw(topics.scans.name, [
      raw({ ...valid, data: { ...valid.data, occupancyAfter: -1 } }),
      { key: 'bdg-1', value: 'scan accepted' },
      raw({ ...valid, schemaVersion: 2 }),
      raw(valid, { type: 'scan.rejected' }),
      raw(valid),
    ]);
    const result = await checkJsonSchemas({ kafka, topicPrefix: names.topicPrefix, expoId: names.expoId, journal: journalOf({}) });
    expect(result.ok).toBe(false);
    expect(result.counts).toMatchObject({ records: 5, invalid: 2, unknownType: 1, headerMismatch: 1, problems: 4 });
    expect(result.problems[0]).toBe('invalid: scanning.scans.v1[0]@0 (scan.accepted): /data/occupancyAfter must be >= 0');
  });
});
