import { decodeRecord } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import type { CheckInput, CheckResult } from './check-result.ts';
import { readLog } from './read-log.ts';
import { Tally } from './tally.ts';

/** Each zone's capacity as the zone topic last states it (null: no limit). */
async function capacities(input: CheckInput, tally: Tally): Promise<Map<string, number | null>> {
  const contract = { ...TOPICS.zones, name: `${input.topicPrefix}${TOPICS.zones.name}` };
  const zones = new Map<string, number | null>();
  await readLog(input.kafka, [contract.name], ({ message }) => {
    const decoded = decodeRecord(contract, message);
    if (decoded.kind === 'invalid' || decoded.kind === 'newer') tally.add('undecodable');
    if (decoded.kind !== 'event' || decoded.event.eventId !== input.expoId) return;
    if (decoded.event.type === 'zone.defined') zones.set(decoded.event.data.zoneId, decoded.event.data.capacity);
    else zones.delete(decoded.event.data.zoneId);
  });
  return zones;
}

/**
 * No online entry took a zone past its capacity: every accepted device scan into a zone with a
 * limit, decided online (offline batches record what a gate let through on its own), logged the
 * zone's count after it at most at the capacity. Checked: the online entries into limited zones.
 */
export async function checkCapacity(input: CheckInput): Promise<CheckResult> {
  const tally = new Tally(['entries', 'overCapacity', 'undecodable']);
  const limits = await capacities(input, tally);
  let entries = 0;
  const contract = { ...TOPICS.scans, name: `${input.topicPrefix}${TOPICS.scans.name}` };
  await readLog(input.kafka, [contract.name], ({ message }) => {
    const decoded = decodeRecord(contract, message);
    if (decoded.kind === 'invalid' || decoded.kind === 'newer') tally.add('undecodable');
    if (decoded.kind !== 'event' || decoded.event.eventId !== input.expoId || decoded.event.type !== 'scan.accepted') return;
    const scan = decoded.event.data;
    const limit = limits.get(scan.zoneId) ?? null;
    if (scan.origin !== 'device' || scan.direction !== 'in' || scan.flags.offline || limit === null) return;
    tally.add('entries');
    entries++;
    if (scan.occupancyAfter > limit) tally.problem('overCapacity', `scan ${scan.scanId} took ${scan.zoneId} to ${scan.occupancyAfter} of ${limit}`);
  });
  return tally.result('capacity', entries);
}
