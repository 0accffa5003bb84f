import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BusConsumer, deadLetterRecord, on, type DeadLetter } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import { createPlatformTopics, testNames } from '@expo/testkit';
import { checkDeadLetters } from '../../src/checkers/dead-letters.ts';
import type { PoisonRecord } from '../../src/journal.ts';
import { journalOf, kafka, producer } from './fixture.ts';

const writer = producer('chaos-workload');
afterAll(() => writer.disconnect());

async function platform(label: string) {
  const names = testNames(label);
  const topics = await createPlatformTopics(names, ['scans', 'attendees'], { partitions: 1 });
  // Consumers of the scans (gA) and of the attendees (gA, gB), and per-instance groups on the scans.
  const groups = {
    required: { [TOPICS.scans.name]: [names.group('a')], [TOPICS.attendees.name]: [names.group('a'), names.group('b')] },
    perInstance: { [TOPICS.scans.name]: [names.group('profiles.')] },
  };
  return { names, topics, groups };
}

/** What a bus consumer of `group` writes on failing to read `record` at `offset` (partition 0). */
async function deadLetter(group: string, record: { topic: string; key: string; value: string }, offset: number): Promise<void> {
  const message: DeadLetter['message'] = {
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    timestamp: String(Date.now()),
    attributes: 0,
    offset: String(offset),
    headers: {},
  };
  const letter = deadLetterRecord({ topic: record.topic, partition: 0, message, groupId: group, code: 'not_json', reason: 'value is not JSON' });
  await writer.sendRaw(letter.topic, [letter.message]);
}

async function writePoison(...records: PoisonRecord[]): Promise<void> {
  for (const r of records) await writer.sendRaw(r.topic, [{ key: r.key, value: r.value }]);
}

describe('checkDeadLetters', () => {
  it("passes the journal's poison dead-lettered once per consuming group, by a real bus consumer too", async () => {
    const { names, topics, groups } = await platform('dead-letters-ok');
    const onScans: PoisonRecord = { topic: topics.scans.name, key: 'bdg-p', value: '{"broken' };
    const onAttendees: PoisonRecord = { topic: topics.attendees.name, key: 'att-p', value: 'not an attendee' };
    await writePoison(onScans, onAttendees);
    const consumer = new BusConsumer(kafka, {
      groupId: names.group('a'),
      producer: writer,
      handlers: [on(topics.scans, async () => undefined), on(topics.attendees, async () => undefined)],
    });
    await consumer.start();
    await consumer.waitUntilCaughtUp(60_000);
    await consumer.stop();
    await deadLetter(names.group('b'), onAttendees, 0);
    // gB wrote it again from the same position (it died before committing): one dead letter.
    await deadLetter(names.group('b'), onAttendees, 0);
    await deadLetter(`${names.group('profiles.')}${randomUUID()}`, onScans, 0);
    const journal = journalOf({});
    journal.poison.push(onScans, onAttendees);

    const result = await checkDeadLetters({ kafka, topicPrefix: names.topicPrefix, expoId: names.expoId, journal, groups });
    expect(result).toMatchObject({ name: 'dead-letters', ok: true, checked: 5, problems: [] });
    expect(result.counts).toMatchObject({
      poison: 2,
      expected: 3,
      found: 3,
      redelivered: 1,
      perInstance: 1,
      missing: 0,
      duplicated: 0,
      unexpected: 0,
      unexpectedGroup: 0,
      misfiled: 0,
    });
  });

  it('catches poison not dead-lettered, dead-lettered twice, altered, by a group that does not consume it, and dead letters of no poison', async () => {
    const { names, topics, groups } = await platform('dead-letters-bad');
    const lost: PoisonRecord = { topic: topics.scans.name, key: 'bdg-1', value: 'lost' };
    const altered: PoisonRecord = { topic: topics.scans.name, key: 'bdg-2', value: 'altered' };
    const twice: PoisonRecord = { topic: topics.attendees.name, key: 'att-1', value: 'twice' };
    await writePoison(lost, altered, twice, twice);
    const [a, b] = [names.group('a'), names.group('b')];
    await deadLetter(a, { ...altered, value: 'altered!' }, 1);
    await deadLetter(a, twice, 0);
    await deadLetter(a, twice, 1);
    await deadLetter(b, twice, 0);
    await deadLetter(names.group('stranger'), twice, 0);
    await deadLetter(a, { topic: topics.scans.name, key: 'bdg-3', value: 'never written' }, 2);
    // A dead letter of another expo's record (a shared prefix) is left to that expo's run.
    await deadLetter(a, { topic: topics.scans.name, key: 'bdg-4', value: JSON.stringify({ eventId: `${names.expoId}-other`, type: 'scan.accepted' }) }, 3);
    const journal = journalOf({});
    journal.poison.push(lost, altered, twice);

    const result = await checkDeadLetters({ kafka, topicPrefix: names.topicPrefix, expoId: names.expoId, journal, groups });
    expect(result.ok).toBe(false);
    expect(result.counts).toMatchObject({ missing: 2, duplicated: 1, unexpected: 2, unexpectedGroup: 1, otherExpo: 1, problems: 6 });
    expect(result.problems).toContain(`missing: poison bdg-1 on ${topics.scans.name} was not dead-lettered by ${a}`);
  });
});
