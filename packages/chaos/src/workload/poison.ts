import { randomUUID } from 'node:crypto';
import type { createKafka } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import type { Journal, PoisonRecord } from '../journal.ts';

/**
 * A record no consumer can read (not JSON), written to the attendee topic as a broken producer
 * would: every group that folds the topic must dead-letter it once and go on, and nothing else may
 * end in a dead-letter topic.
 */
export async function writePoison(kafka: ReturnType<typeof createKafka>, topicPrefix: string, journal: Journal): Promise<PoisonRecord> {
  const record: PoisonRecord = { topic: `${topicPrefix}${TOPICS.attendees.name}`, key: `chaos-poison-${randomUUID()}`, value: '{"this is": not json' };
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: record.topic, acks: -1, messages: [{ key: record.key, value: record.value }] });
  } finally {
    await producer.disconnect();
  }
  journal.poison.push(record);
  return record;
}
