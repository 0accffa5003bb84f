import { BusProducer, createKafka } from '@expo/bus';
import { kafkaBrokers } from '@expo/testkit';
import { Journal, type MeetingAnswer, type RegistrationAnswer, type ScanAnswer } from '../../src/journal.ts';

// Shared by the checker tests: one client and one producer per test file, as the platform writes.
export const kafka = createKafka({ brokers: kafkaBrokers(), clientId: 'chaos-checker-test' });
export const producer = (source: string) => new BusProducer(kafka, { source, sendTimeoutMs: 30_000 });

/** A journal holding the given answers (every field the checkers do not look at filled in). */
type Some<T, K extends keyof T> = Partial<T> & Pick<T, K>;

export function journalOf(answers: {
  scans?: Array<Some<ScanAnswer, 'scanId' | 'status'>>;
  registrations?: Array<Some<RegistrationAnswer, 'email' | 'status' | 'attendeeId'>>;
  meetings?: Array<Some<MeetingAnswer, 'kind' | 'meetingId' | 'status'>>;
}): Journal {
  const journal = new Journal();
  const at = Date.now();
  for (const s of answers.scans ?? []) journal.scans.push({ via: 'online', decision: null, reason: null, attempts: 1, answeredAtMs: at, ...s });
  for (const r of answers.registrations ?? [])
    journal.registrations.push({ idempotencyKey: `key-${r.attendeeId ?? r.email}`, attempts: 1, answeredAtMs: at, ...r });
  for (const m of answers.meetings ?? []) journal.meetings.push({ attempts: 1, answeredAtMs: at, ...m });
  return journal;
}
