import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopicEventInput } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import { createPlatformTopics, testNames } from '@expo/testkit';
import { checkScansOnce } from '../../src/checkers/scans-once.ts';
import { journalOf, kafka, producer } from './fixture.ts';

type ScanInput = TopicEventInput<typeof TOPICS.scans>;
const names = testNames('scans-once');
const writer = producer('badge-scanning');
let topics: Awaited<ReturnType<typeof createPlatformTopics<['scans']>>>;
beforeAll(async () => {
  topics = await createPlatformTopics(names, ['scans'], { partitions: 2 });
});
afterAll(() => writer.disconnect());

const AT = '2024-11-05T09:30:00+08:00';
const base = { badgeId: 'bdg-1', zoneId: 'hall-1', direction: 'in' as const, scannedAt: AT, occupancyAfter: 1 };

function accepted(expoId: string, scanId: string, options: { origin?: 'device' | 'inferred' | 'sweep'; id?: string } = {}): ScanInput {
  const origin = options.origin ?? 'device';
  const device = origin === 'device';
  return {
    type: 'scan.accepted',
    eventId: expoId,
    ...(options.id ? { id: options.id } : {}),
    data: {
      ...base,
      scanId,
      attendeeId: 'att-1',
      deviceId: device ? 'dev-1' : null,
      gateId: device ? 'gate-1' : null,
      fromZoneId: 'venue',
      toZoneId: 'hall-1',
      flags: { inferred: origin === 'inferred', offline: false },
      origin,
      decision: 'accepted',
      reason: null,
    },
  };
}

function rejected(expoId: string, scanId: string, reason: 'capacity_full' | 'already_inside'): ScanInput {
  return {
    type: 'scan.rejected',
    eventId: expoId,
    data: {
      ...base,
      scanId,
      attendeeId: 'att-1',
      deviceId: 'dev-1',
      gateId: 'gate-1',
      fromZoneId: 'venue',
      toZoneId: 'venue',
      flags: { inferred: false, offline: false },
      origin: 'device',
      decision: 'rejected',
      reason,
    },
  };
}

function annulled(expoId: string, scanId: string): ScanInput {
  return {
    type: 'scan.annulled',
    eventId: expoId,
    data: {
      scanId,
      badgeId: 'bdg-1',
      deviceId: 'dev-1',
      zoneId: 'hall-1',
      direction: 'in',
      fromZoneId: 'venue',
      toZoneId: 'hall-1',
      annulledAt: AT,
      occupancyAfter: 0,
    },
  };
}

const check = (expoId: string, journal: ReturnType<typeof journalOf>) => checkScansOnce({ kafka, topicPrefix: names.topicPrefix, expoId, journal });

describe('checkScansOnce', () => {
  it('passes a log holding each decided scan once, whatever else the scans left on it', async () => {
    const expo = `${names.expoId}-ok`;
    const again = randomUUID();
    await writer.send(topics.scans, [
      accepted(expo, 's1', { origin: 'inferred' }),
      accepted(expo, 's1', { id: again }),
      annulled(expo, 's1'),
      rejected(expo, 's2', 'capacity_full'),
      accepted(expo, 'sweep-1', { origin: 'sweep' }),
      accepted(expo, 's4'),
      // The outbox writing s1's record again after a lost acknowledgement: the same record.
      accepted(expo, 's1', { id: again }),
      // Another expo's record for a scan this journal had refused.
      accepted(`${names.expoId}-other`, 's3'),
    ]);
    const journal = journalOf({
      scans: [
        { scanId: 's1', status: 200, decision: 'accepted', attempts: 2 },
        { scanId: 's2', status: 200, decision: 'rejected', reason: 'capacity_full' },
        { scanId: 's3', status: 400 },
        { scanId: 's4', status: null },
        { scanId: 's5', status: 503 },
      ],
    });
    const result = await check(expo, journal);
    expect(result).toMatchObject({ name: 'scans-once', ok: true, checked: 5, problems: [] });
    expect(result.counts).toMatchObject({
      answered: 2,
      refused: 1,
      unanswered: 2,
      retried: 1,
      recordedUnanswered: 1,
      rewritten: 1,
      scans: 3,
      lost: 0,
      duplicated: 0,
      mismatched: 0,
      recordedFor4xx: 0,
      problems: 0,
    });
  });

  it('catches a lost scan, a scan logged twice, a decision other than the answer and a refused scan that was logged', async () => {
    const expo = `${names.expoId}-bad`;
    await writer.send(topics.scans, [
      accepted(expo, 'twice'),
      accepted(expo, 'twice'),
      rejected(expo, 'unknown-twice', 'capacity_full'),
      accepted(expo, 'unknown-twice'),
      rejected(expo, 'reason', 'already_inside'),
      rejected(expo, 'decision', 'capacity_full'),
      accepted(expo, 'refused'),
    ]);
    const journal = journalOf({
      scans: [
        { scanId: 'lost', status: 200, decision: 'accepted' },
        { scanId: 'twice', status: 200, decision: 'accepted' },
        { scanId: 'reason', status: 200, decision: 'rejected', reason: 'capacity_full' },
        { scanId: 'decision', status: 200, decision: 'accepted' },
        { scanId: 'refused', status: 409 },
      ],
    });
    const result = await check(expo, journal);
    expect(result.ok).toBe(false);
    expect(result.counts).toMatchObject({ lost: 1, duplicated: 2, mismatched: 2, recordedFor4xx: 1, problems: 6 });
    expect(result.problems).toHaveLength(6);
    expect(result.problems).toContain('lost: scan lost answered accepted has no device record');
  });
});
