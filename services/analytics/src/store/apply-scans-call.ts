import { dedupeHourOf, type ScanFacts } from '../domain/scan-facts.ts';
import { encodeApplyScansArgs, type ScanRefs } from './apply-scans-codec.ts';
import type { AnalyticsKeys } from './keys.ts';
import type { ScriptCall } from './script-boundary.ts';

/**
 * One apply-scans.lua call for a partition's batch: the keys every batch touches, then each distinct
 * key group of the batch once, which the scans' refs point at. Every key the script may touch is in
 * KEYS, whether or not the record ends up writing it (a rejected scan has no visitors to add).
 */
export function applyScansCall(keys: AnalyticsKeys, where: string, scans: readonly ScanFacts[], dedupeTtlSeconds: number): ScriptCall {
  const list = [keys.occupancy, keys.open, keys.attendees, keys.entered, keys.zonesSeen, keys.days, keys.dirty, keys.offsets, keys.positions(where)];
  // A group is known by its first key's name, which no other group shares.
  const starts = new Map<string, number>();
  const group = (first: string, rest: () => string[]): number => {
    let start = starts.get(first);
    if (start === undefined) {
      start = list.length + 1;
      starts.set(first, start);
      list.push(first, ...rest());
    }
    return start;
  };
  const refs = scans.map(({ day, zoneId, minuteStart, eventMs }): ScanRefs => [
    group(keys.day(day), () => [keys.tooLate(day), keys.gates(day), keys.gateMinutes(day), keys.peaks(day), keys.visitors(day), keys.mix(day)]),
    group(keys.bucketHash(zoneId, '1m', day), () => [keys.dwell(zoneId, day), keys.zoneDayHll(zoneId, day)]),
    group(keys.bucketHll(zoneId, '1m', minuteStart), () => []),
    group(keys.seen(dedupeHourOf(eventMs)), () => []),
  ]);
  return { keys: list, args: encodeApplyScansArgs({ dedupeTtlSeconds, where, scans, refs }) };
}
