import { decodeRecord } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import type { ScanAnswer } from '../journal.ts';
import type { CheckInput, CheckResult } from './check-result.ts';
import { readLog } from './read-log.ts';
import { Tally } from './tally.ts';

/** A device scan's record as the log holds it, however many times it was written. */
interface DeviceRecord {
  /** The envelope id: badge-scanning derives it from the scan and its move (scan-records.ts). */
  readonly id: string;
  readonly decision: 'accepted' | 'rejected';
  readonly reason: string | null;
  copies: number;
}

const COUNTS = [
  ...['answered', 'refused', 'unanswered', 'retried', 'lost', 'duplicated', 'mismatched', 'recordedFor4xx'],
  ...['recordedUnanswered', 'rewritten', 'scans', 'records', 'undecodable'],
];

/**
 * The device records of the expo's scans by scanId. `scan.annulled` undoes a scan without deciding
 * it, and `inferred` and `sweep` moves are the platform's, not a device's: an inferred move carries
 * the scanId of the device scan that revealed it, a sweep a scanId of its own.
 */
async function deviceRecords(input: CheckInput, tally: Tally): Promise<Map<string, DeviceRecord[]>> {
  const contract = { ...TOPICS.scans, name: `${input.topicPrefix}${TOPICS.scans.name}` };
  const byScan = new Map<string, DeviceRecord[]>();
  await readLog(input.kafka, [contract.name], ({ message }) => {
    const decoded = decodeRecord(contract, message);
    if (decoded.kind === 'invalid' || decoded.kind === 'newer') tally.add('undecodable');
    if (decoded.kind !== 'event' || decoded.event.eventId !== input.expoId) return;
    const event = decoded.event;
    if (event.type === 'scan.annulled' || event.data.origin !== 'device') return;
    tally.add('records');
    const records = byScan.get(event.data.scanId) ?? [];
    byScan.set(event.data.scanId, records);
    const same = records.find((r) => r.id === event.id);
    // The same record written again (an outbox replay after a lost acknowledgement): consumers
    // dedupe on the id, so it is one scan logged once.
    if (same) {
      same.copies++;
      tally.add('rewritten');
    } else records.push({ id: event.id, decision: event.data.decision, reason: event.data.reason, copies: 1 });
  });
  return byScan;
}

const isRefusal = (status: number | null) => status !== null && status >= 400 && status < 500;
/** No answer, or a 5xx: the scan may have been decided (its records written later by the outbox). */
const isUnknown = (status: number | null) => status === null || status >= 500;

function checkAnswer(scan: ScanAnswer, records: readonly DeviceRecord[], decidedElsewhere: boolean, tally: Tally): void {
  if (scan.attempts > 1) tally.add('retried');
  if (scan.status === 200) {
    tally.add('answered');
    if (records.length === 0) {
      return tally.problem('lost', `scan ${scan.scanId} answered ${scan.decision ?? 'null'} has no device record`);
    }
    const differs = records.find((r) => r.decision !== scan.decision || (r.decision === 'rejected' && r.reason !== scan.reason));
    if (differs) {
      const answered = `${scan.decision ?? 'null'}/${scan.reason ?? '-'}`;
      tally.problem('mismatched', `scan ${scan.scanId} answered ${answered} but logged ${differs.decision}/${differs.reason ?? '-'}`);
    }
  } else if (isRefusal(scan.status)) {
    tally.add('refused');
    if (records.length > 0 && !decidedElsewhere) {
      tally.problem('recordedFor4xx', `scan ${scan.scanId} answered ${scan.status} has ${records.length} device record(s)`);
    }
  } else {
    tally.add('unanswered');
    if (records.length > 0) tally.add('recordedUnanswered');
  }
}

/**
 * Promise 2 (docs/promises.md) held to the log: every scan answered with a decision has exactly one device record,
 * with that decision (and reason); a refused scan (4xx) none; an unanswered one 0 or 1; and no
 * scanId, in the journal or not, has two different device records. Checked: the journal's scans.
 */
export async function checkScansOnce(input: CheckInput): Promise<CheckResult> {
  const tally = new Tally(COUNTS);
  const byScan = await deviceRecords(input, tally);
  tally.add('scans', byScan.size);
  // A refusal of a scanId another request decided (a reuse answered 409) says nothing against its record.
  const decided = new Set(input.journal.scans.filter((s) => s.status === 200 || isUnknown(s.status)).map((s) => s.scanId));
  for (const scan of input.journal.scans) checkAnswer(scan, byScan.get(scan.scanId) ?? [], decided.has(scan.scanId), tally);
  for (const [scanId, records] of byScan) {
    const decisions = records.map((r) => r.decision).join(', ');
    if (records.length > 1) tally.problem('duplicated', `scan ${scanId} has ${records.length} different device records (${decisions})`);
  }
  return tally.result('scans-once', input.journal.scans.length);
}
