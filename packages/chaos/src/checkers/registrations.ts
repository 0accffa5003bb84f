import { decodeRecord } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import type { RegistrationAnswer } from '../journal.ts';
import type { CheckInput, CheckResult } from './check-result.ts';
import { readLog } from './read-log.ts';
import { Tally } from './tally.ts';

// As registration keys its e-mail index (services/registration/src/store/keys.ts, emailDigest).
const normaliseEmail = (email: string) => email.trim().toLowerCase();

interface AttendeeLog {
  /** Latest snapshot per attendeeId (an erasure removes it). */
  readonly latest: Map<string, { email: string; status: string }>;
  /** Every normalised e-mail any record of an attendeeId carried, erasures notwithstanding. */
  readonly emails: Map<string, Set<string>>;
}

const COUNTS = [
  ...['answered', 'conflicts', 'unanswered', 'otherStatus', 'retried', 'lost', 'mismatched', 'unfoundedConflict', 'duplicated'],
  ...['reregistered', 'attendees', 'records', 'undecodable'],
];

async function attendeeLog(input: CheckInput, tally: Tally): Promise<AttendeeLog> {
  const contract = { ...TOPICS.attendees, name: `${input.topicPrefix}${TOPICS.attendees.name}` };
  const log: AttendeeLog = { latest: new Map(), emails: new Map() };
  await readLog(input.kafka, [contract.name], ({ message }) => {
    const decoded = decodeRecord(contract, message);
    if (decoded.kind === 'invalid' || decoded.kind === 'newer') tally.add('undecodable');
    // Records are keyed by attendeeId, so partition order is each attendee's order.
    if (decoded.kind === 'tombstone') log.latest.delete(decoded.key);
    if (decoded.kind !== 'event' || decoded.event.eventId !== input.expoId) return;
    tally.add('records');
    const { attendeeId, email, status } = decoded.event.data;
    log.latest.set(attendeeId, { email: normaliseEmail(email), status });
    const emails = log.emails.get(attendeeId) ?? new Set<string>();
    log.emails.set(attendeeId, emails.add(normaliseEmail(email)));
  });
  return log;
}

/**
 * A cancelled attendee frees its e-mail (cancel-attendee.ts), so the rule is over attendees active
 * now: one e-mail, at most one. Only the latest state per attendee is known across partitions, so
 * two attendees active at once of whom one was cancelled later go unseen.
 */
function checkEmailsUnique(log: AttendeeLog, tally: Tally): void {
  const holders = new Map<string, string[]>();
  for (const [attendeeId, { email, status }] of log.latest) {
    if (status === 'active') holders.set(email, [...(holders.get(email) ?? []), attendeeId]);
  }
  for (const ids of holders.values()) {
    if (ids.length > 1) tally.problem('duplicated', `${ids.length} active attendees share one e-mail: ${ids.sort().join(', ')}`);
  }
  const carriers = new Map<string, number>();
  for (const emails of log.emails.values()) for (const email of emails) carriers.set(email, (carriers.get(email) ?? 0) + 1);
  // Registered again after a cancellation: allowed, counted to show the run exercised it.
  for (const [email, count] of carriers) if (count > 1 && (holders.get(email)?.length ?? 0) <= 1) tally.add('reregistered');
}

function checkAnswer(answer: RegistrationAnswer, log: AttendeeLog, tally: Tally): void {
  if (answer.attempts > 1) tally.add('retried');
  const email = normaliseEmail(answer.email);
  const logged = answer.attendeeId === null ? undefined : log.emails.get(answer.attendeeId);
  const who = `registration ${answer.idempotencyKey} (attendee ${answer.attendeeId ?? 'not named'})`;
  if (answer.status === 201) {
    tally.add('answered');
    if (!logged) tally.problem('lost', `${who} answered 201 has no attendee record`);
    else if (!logged.has(email)) tally.problem('mismatched', `${who} answered 201 is logged with another e-mail`);
  } else if (answer.status === 409) {
    tally.add('conflicts');
    if (!logged?.has(email)) tally.problem('unfoundedConflict', `${who} answered 409 but no such attendee holds that e-mail in the log`);
  } else if (answer.status === null || answer.status >= 500) tally.add('unanswered');
  else tally.add('otherStatus');
}

/**
 * Registration held to the log: no e-mail belongs to two active attendees; every 201 has its
 * attendee record with that id and e-mail; every 409 names an attendee the log holds with that
 * e-mail. An unanswered registration may be logged or not: the e-mail rule bounds it to once.
 * Checked: the journal's registrations.
 */
export async function checkRegistrations(input: CheckInput): Promise<CheckResult> {
  const tally = new Tally(COUNTS);
  const log = await attendeeLog(input, tally);
  tally.add('attendees', log.emails.size);
  checkEmailsUnique(log, tally);
  for (const answer of input.journal.registrations) checkAnswer(answer, log, tally);
  return tally.result('registrations', input.journal.registrations.length);
}
